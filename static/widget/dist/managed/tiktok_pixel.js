(t,e)=>{var i=t.ttq=t.ttq||[["page"]],a=e.pixel_id;t.TiktokAnalyticsObject="ttq",i._i={[a]:[]},i._t={[a]:Date.now()},i._o={[a]:{}}}
