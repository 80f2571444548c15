/*
 * Kelisim banner texts in another language (GET /w/<site_key>/texts.js?v=<version>&l=<language>),
 * loaded by banner.js when the visitor switches language. Same config shape as banner.js's.
 */
window.kelisim._._texts(__KELISIM_CONFIG__);
