window.kelisim._.texts(__KELISIM_CONFIG__);
