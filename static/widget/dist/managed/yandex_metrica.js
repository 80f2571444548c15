(e,r,t)=>{var a=e.ym=e.ym||function(){(a.a=a.a||[]).push(arguments)};a.l=Date.now(),a(r.counter_id,"init",{clickmap:!0,trackLinks:!0,accurateTrackBounce:!0,webvisor:t})}
