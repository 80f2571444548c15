a=>{a.dataLayer.push({"gtm.start":Date.now(),event:"gtm.js"})}
