/*
 * Kelisim banner texts of one language (GET /w/<site_key>/<release>/texts.<language>.js),
 * loaded by banner.js when the visitor opens the settings or switches language. Same config
 * shape as banner.js's, with every text.
 */
window.kelisim._._texts(__KELISIM_CONFIG__);
