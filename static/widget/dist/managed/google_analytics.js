(n,i,o,e)=>{e("js",new Date),e("config",i.measurement_id)}
