window.kelisim._.h(__KELISIM_CONFIG__);
