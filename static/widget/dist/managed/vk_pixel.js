(e,t)=>{(e._tmr=e._tmr||[]).push({id:t.pixel_id,type:"pageView",start:Date.now()})}
