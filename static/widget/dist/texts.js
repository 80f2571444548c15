window.kelisim._.u(__KELISIM_CONFIG__);
