const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["assets/globe.gl-aHgbb0wo.js","assets/three.module-D59A3kjH.js","assets/view-CdqWCaK5.js","assets/maplibre-gl-BUwiJpK_.js","assets/maplibre-gl-worker-BmsAK4Ca.js","assets/maplibre-gl-qvkd0SPb.css","assets/map-Csr4TSSW.css"])))=>i.map(i=>d[i]);
(function(){let e=document.createElement(`link`).relList;if(e&&e.supports&&e.supports(`modulepreload`))return;for(let e of document.querySelectorAll(`link[rel="modulepreload"]`))n(e);new MutationObserver(e=>{for(let t of e)if(t.type===`childList`)for(let e of t.addedNodes)e.tagName===`LINK`&&e.rel===`modulepreload`&&n(e)}).observe(document,{childList:!0,subtree:!0});function t(e){let t={};return e.integrity&&(t.integrity=e.integrity),e.referrerPolicy&&(t.referrerPolicy=e.referrerPolicy),t.credentials=e.crossOrigin===`use-credentials`?`include`:e.crossOrigin===`anonymous`?`omit`:`same-origin`,t}function n(e){if(e.ep)return;e.ep=!0;let n=t(e);fetch(e.href,n)}})();var e=`kompas-token`,t={UNCLASSIFIED:`#007a33`,RESTRICTED:`#9a6a00`,CONFIDENTIAL:`#0033a0`,SECRET:`#c8102e`,TOP_SECRET:`#e07000`},n=class extends Error{};function r(){return sessionStorage.getItem(e)}function i(){sessionStorage.clear()}var a=`kompas-exercise`,o=`X-Kompas-Exercise`,s=`EXERCISE EXERCISE EXERCISE`,c=`kompas-exercise-left`,l=window.fetch.bind(window);function u(){return sessionStorage.getItem(a)||null}function d(e){e?sessionStorage.setItem(a,e):sessionStorage.removeItem(a),A()}function f(e){try{let t=new URL(typeof e==`string`||e instanceof URL?e:e.url,location.href);return t.origin===location.origin&&t.pathname.startsWith(`/api/`)}catch{return!1}}async function p(e,t={},n=!0){let r=n?u():null;if(!r||!f(e))return l(e,t);let i=new Headers(t.headers||(e instanceof Request?e.headers:void 0));if(i.has(`X-Kompas-Exercise`))return l(e,t);i.set(o,r);let a=await l(e,{...t,headers:i});return a.status===403&&await h(r,a.clone()),a}window.fetch=(e,t)=>p(e,t);var m=null;async function h(e,t){let n=``;try{n=String((await t.json()).detail??``)}catch{}m??=(async()=>{try{let t=await l(`/api/v1/exercises`,{headers:{Authorization:`Bearer ${r()??``}`}});if(t.ok)return(await t.json()).some(t=>t.code===e)}catch{}return null})().finally(()=>{m=null});let i=await m;i===!0||i===null&&!/no exercise/i.test(n)||u()!==e||(d(null),window.dispatchEvent(new CustomEvent(c,{detail:{code:e,message:n||`your organisation takes part in no exercise ${e}`}})))}async function g(){return y(`/api/v1/exercises`,{context:!1})}var _=3,v=10;async function y(e,{method:t=`GET`,body:i,bearer:a=r(),raw:o=!1,signal:s,context:c=!0}={}){let l={Authorization:`Bearer ${a??``}`};i!==void 0&&(l[`Content-Type`]=`application/json`);let u;for(let n=0;u=await p(e,{method:t,headers:l,signal:s,body:i===void 0?void 0:JSON.stringify(i)},c),u.status===429&&n!==_;n+=1){let e=Math.min(Math.max(Number(u.headers.get(`Retry-After`))||1,1),v);await new Promise(t=>setTimeout(t,e*1e3))}if(u.status===401)throw new n(`sign in again`);if(!u.ok){let e=u.statusText;try{e=JSON.stringify((await u.json()).detail)}catch{}throw Error(`${u.status}: ${e}`)}return o?u:u.json()}async function b(t){let n=await y(`/api/v1/whoami`,{bearer:t});return sessionStorage.setItem(e,t),n}async function x(e,t=5e3){let n=[],r=null;do{let t=await y(`${e}${e.includes(`?`)?`&`:`?`}limit=1000${r?`&after=${encodeURIComponent(r)}`:``}`);n.push(...t.items),r=t.next}while(r&&n.length<t);return n}var S={banner:`CHECKING MARKING…`,classification:`PENDING`},C=[],w=0,T=Promise.resolve();function E(){C=[],w+=1,T=Promise.resolve(),ee(S)}function D(e,t){let n=w,r=t.filter(Boolean),i=T.then(async()=>{if(n!==w||!e.isConnected)return;let t=O([...C,...r]);if(t.length===C.length&&k!==S)return;let i=t.length?await y(`/api/v1/markings/combine`,{method:`POST`,body:{markings:t}}):{banner:`UNCLASSIFIED`,classification:`UNCLASSIFIED`};n===w&&(ee(i),C=t)});return T=i.catch(()=>{}),i}function O(e){let t=new Map;for(let n of e)t.set(JSON.stringify([n.banner,n.originators||[],n.classification]),n);return[...t.values()]}var k=S;function ee(e){k=e;for(let n of[`banner-top`,`banner-bottom`]){let r=document.getElementById(n);r.textContent=e.banner,r.style.background=t[e.classification]||`#555`,r.dataset.classification=e.classification}A()}function A(){let e=u(),t=document.getElementById(`exercise-band`);if(!t){t=document.createElement(`div`),t.id=`exercise-band`,t.setAttribute(`role`,`status`);let e=document.querySelector(`header.bar`);e?e.after(t):document.body.prepend(t)}t.hidden=!e,t.textContent=e?`${s} — ${e}`:``,t.dataset.exercise=e||``,document.body.classList.toggle(`in-exercise`,!!e)}function j(e){return String(e??``).replace(/[&<>"']/g,e=>({"&":`&amp;`,"<":`&lt;`,">":`&gt;`,'"':`&quot;`,"'":`&#39;`})[e])}async function te(e){e.innerHTML=`
    <section class="signin card">
      <h1>Sign in</h1>
      <p class="muted">Use the API token your administrator gave you (<code>kompas admin add-user</code>). It stays in
      this browser tab only.</p>
      <form id="signin-form">
        <label for="token">API token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required>
        <button type="submit">Sign in</button>
        <p id="signin-error" class="error" role="alert"></p>
      </form>
    </section>`;let t=e.querySelector(`#signin-form`);e.querySelector(`#token`).focus(),t.addEventListener(`submit`,async n=>{n.preventDefault();try{await b(t.token.value.trim()),location.hash=`#/globe`}catch(t){e.querySelector(`#signin-error`).textContent=`Sign-in failed: ${j(t.message)}`}})}function M(e,t=3){if(e==null||e===``)return`-`;if(typeof e==`string`){let n=e.match(/^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(:\d{2})?(\.\d+)?)?(Z|[+-]00:?00)?$/);if(n){let e=t?(n[4]||`.`).padEnd(t+1,`0`).slice(0,t+1):``;return`${n[1]}T${n[2]||`00:00`}${n[3]||`:00`}${e}Z`}let r=Date.parse(e);if(Number.isNaN(r))return e;e=r}let n=new Date(e);if(Number.isNaN(n.getTime()))return String(e);let r=n.toISOString();return t?r:`${r.slice(0,19)}Z`}function ne(e){return M(e).slice(0,10)}function re(e){return`${M(e).slice(0,16)}Z`}function N(e){return String(e).replace(/\B(?=(\d{3})+(?!\d))/g,` `)}function P(e,t,n,r,i){let a=i||(t.length>1?Math.abs(t[1]-t[0]):1),o=Math.max(...t.map(e=>Math.abs(e)));if(o&&(o<.001||o>=1e6)){let e=Math.max(1,Math.min(8,Math.ceil(Math.log10(o/a))+1));return t.map(t=>t===0?`0`:t.toExponential(e-1))}let s=0;for(;s<10&&Math.abs(Math.round(a*10**s)-a*10**s)>1e-6*a*10**s;)s+=1;return t.map(e=>e.toFixed(s))}function F(e,t,n,r,i){let a=i||(t.length>1?t[1]-t[0]:1),o=``;return t.map(e=>{if(e==null)return``;let t=new Date(e*1e3).toISOString(),n=t.slice(0,10),r=a>=86400?``:a>=60?t.slice(11,16):a>=1?t.slice(11,19):t.slice(11,23),i=a>=86400?n:n===o?r:`${r}\n${n}`;return o=n,i})}function I(e){let t=e.trim().match(/^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(:\d{2}(?:\.\d{1,9})?)?)?Z?$/);return t?`${t[1]}T${t[2]||`00:00`}${t[3]||`:00`}Z`:null}function ie(e){return t=>e.tzDate(new Date(t*1e3),`Etc/UTC`)}var L=`modulepreload`,R=function(e){return`/web/`+e},ae={},oe=function(e){return e.pathname.endsWith(`.css`)},se=function(e,t,n){if(t in e)return e[t];let r=n();if(!r){e[t]=void 0;return}let i=r.then(()=>{e[t]=void 0},n=>{throw e[t]=void 0,n});return e[t]=i,i},z=function(e,t,n){let r=Promise.resolve();if(t&&t.length>0){let e,i=document.querySelector(`meta[property=csp-nonce]`),a=i?.nonce||i?.getAttribute(`nonce`);function o(e){return Promise.all(e.map(e=>Promise.resolve(e).then(e=>({status:`fulfilled`,value:e}),e=>({status:`rejected`,reason:e}))))}function s(e){return import.meta.resolve?new URL(import.meta.resolve(e)):new URL(e,import.meta.url)}r=o(t.map(t=>{t=R(t,n);let r=s(t),i=oe(r);return se(ae,r.href,()=>{if(e===void 0){e={all:new Set,styles:new Set};let t=document.getElementsByTagName(`link`);for(let n=t.length-1;n>=0;n--){let r=t[n];e.all.add(r.href),r.rel===`stylesheet`&&e.styles.add(r.href)}}if((i?e.styles:e.all).has(r.href))return;let t=document.createElement(`link`);if(t.rel=i?`stylesheet`:L,i||(t.as=`script`),t.crossOrigin=``,t.href=r.href,a&&t.setAttribute(`nonce`,a),document.head.appendChild(t),i)return new Promise((e,n)=>{let i=a=>{t.removeEventListener(`load`,i),t.removeEventListener(`error`,i),a.type===`error`?n(Error(`Unable to preload CSS for ${r}`)):e(a)};t.addEventListener(`load`,i),t.addEventListener(`error`,i)})})}).filter(e=>e!==void 0))}function i(e){let t=new Event(`vite:preloadError`,{cancelable:!0});if(t.payload=e,window.dispatchEvent(t),!t.defaultPrevented)throw e}return r.then(t=>{for(let e of t||[])e.status===`rejected`&&i(e.reason);return e().catch(i)})},ce=6371,le=Math.PI/180,ue=60,de=120,fe=500,pe=1e5,me=null;async function he(e){let t=new URLSearchParams(location.hash.split(`?`)[1]||``),n=new URLSearchParams;for(let e of[`set`,`limit`])t.get(e)&&n.set(e,t.get(e));let[r,i,a]=await Promise.all([y(`/api/v1/picture?${n}`),z(()=>import(`./globe.gl-aHgbb0wo.js`),__vite__mapDeps([0,1])),z(()=>import(`./three.module-D59A3kjH.js`),[])]),o=i.default;me=a;let s=e=>e.kind===`conjunction`?`#/conjunction/${e.id}`:`#/event/${e.id}`,c=[...r.markers].sort((e,t)=>t.rank-e.rank||e.time_utc.localeCompare(t.time_utc)),l=`
    <h1>Situational picture <span class="muted">${N(r.objects.length)} of ${N(r.total_objects)}
      objects, from ${j(re(r.start_utc))}</span></h1>
    <p class="muted" id="rule">Drawn: ${j(r.rule)}.${t.get(`set`)===`all`?``:` <a href="#/globe?set=all&amp;limit=1000">Draw the catalogue (1,000 objects)</a>`}</p>
    <div class="legend" aria-label="Legend">
      <span><i style="background:#ffd400"></i>protected asset (yellow orbit)</span>
      <span><i style="background:#ff5a5a"></i>object in a conjunction or event with one</span>
      <span><i style="background:#ff9d9d"></i>other catalogue object</span>
      <span><i style="border:2px solid #ff2020"></i>conjunction at TCA</span>
      <span><i style="border:2px solid #20a0ff"></i>event</span>
      <span class="muted">Labels: the highest Pc and severity first; overlapping ones are hidden. Positions by SGP4,
        animated at ${ue}x.</span>
    </div>
    <div class="globe-wrap">
      <div id="globe" role="application" aria-label="Globe with the protected assets and related objects"></div>
      <aside class="side card" aria-label="Objects on the globe">
        <p class="muted" id="clock"></p>
        <h2>Conjunctions and events <span class="muted">(${c.length})</span></h2><ul id="marker-list">${c.map(e=>`<li>
          <span class="time">${j(re(e.time_utc))}</span> <a href="${j(s(e))}">${j(e.label)}</a>
          <span class="mark">${j(e.banner)}</span></li>`).join(``)||`<li class='muted'>None you may see.</li>`}</ul>
        <h2>Objects <span class="muted">(${r.objects.length})</span></h2><ul id="object-list">${r.objects.map(e=>`<li><a href="#/object/${j(e.norad_id)}">
          ${j(e.name)}</a> <span class="muted">${e.norad_id}${e.role===`asset`?`, protected`:``}</span></li>`).join(``)}</ul>
      </aside>
    </div>`;await D(e,r.markings),e.innerHTML=l;let u=r.objects.filter(e=>e.lat!==null&&e.lat!==void 0).map(e=>({...e,lat:[],lon:[],alt_km:[],latNow:e.lat,lngNow:e.lon,altNow:(e.alt_km??0)/ce})),d=e.querySelector(`#globe`),f=new o(d,{animateIn:!1}).width(d.clientWidth).height(d.clientHeight).globeImageUrl(`/web/earth-day.jpg`).backgroundColor(`#000010`).showAtmosphere(!1).pathPoints(`points`).pathPointLat(e=>e[0]).pathPointLng(e=>e[1]).pathPointAlt(e=>e[2]).pathColor(e=>e.role===`asset`?`rgba(255,212,0,0.6)`:`rgba(255,90,90,0.45)`).pathStroke(null).ringsData(r.markers).ringLat(`lat`).ringLng(`lon`).ringAltitude(e=>e.alt_km/ce).ringColor(e=>e.kind===`conjunction`?`#ff2020`:`#20a0ff`).ringMaxRadius(4).ringRepeatPeriod(1500),p=[`asset`,`related`,`object`].map(e=>ge(f,u.filter(t=>t.role===e),{asset:[`#ffd400`,7],related:[`#ff5a5a`,5],object:[`#ff7b7b`,3]}[e]));d.__drawn=()=>p.reduce((e,t)=>e+t.sats.length,0),d.__globe=f,d.__clouds=p,d.__screenOf=e=>{let t=u.find(t=>t.norad_id===e);return t&&f.getScreenCoords(t.latNow,t.lngNow,t.altNow)};let m=Object.assign(document.createElement(`div`),{className:`tooltip`,hidden:!0});d.append(m);let h=e=>{let t=d.getBoundingClientRect(),n=new me.Vector2((e.clientX-t.left)/t.width*2-1,-((e.clientY-t.top)/t.height)*2+1),r=new me.Raycaster;r.params.Points.threshold=2.5,r.setFromCamera(n,f.camera());for(let e of p){let t=r.intersectObject(e.points)[0];if(t)return e.sats[t.index]}return null};d.addEventListener(`mousemove`,e=>{let t=h(e);m.hidden=!t,t&&(m.textContent=`${t.name} (${t.norad_id})`,m.style.left=`${e.offsetX+12}px`,m.style.top=`${e.offsetY+12}px`)}),d.addEventListener(`click`,e=>{let t=h(e);t&&(location.hash=`#/object/${t.norad_id}`)});let g=new ResizeObserver(()=>{d.clientWidth&&d.clientHeight&&f.width(d.clientWidth).height(d.clientHeight)});g.observe(d),f.controls().autoRotate=!1,f.pointOfView({altitude:8});let _=ye(f,d,[...c.map(e=>({text:e.label,href:s(e),kind:e.kind,rank:1+e.rank,at:()=>[e.lat,e.lon,e.alt_km/ce]})),...u.filter(e=>e.role===`asset`).map(e=>({text:e.name,href:`#/object/${e.norad_id}`,kind:`asset`,rank:0,at:()=>[e.latNow,e.lngNow,e.altNow]}))]);d.__labels=_,_.update(!0);let v=[],b=e.querySelector(`#clock`),x=performance.now(),S=!0,C=()=>{if(!S)return;if(v.length<2){requestAnimationFrame(C);return}let e=v[0]+(performance.now()-x)*ue%(v[v.length-1]-v[0]),t=Math.min(v.length-2,Math.max(0,Math.floor((e-v[0])/(v[1]-v[0])))),n=(e-v[t])/(v[t+1]-v[t]);for(let e of u){if(e.lat[t]===null||e.lat[t]===void 0||e.lat[t+1]===null||e.lat[t+1]===void 0)continue;e.latNow=e.lat[t]+n*(e.lat[t+1]-e.lat[t]);let r=(e.lon[t+1]-e.lon[t]+540)%360-180;e.lngNow=e.lon[t]+n*r,e.altNow=(e.alt_km[t]+n*(e.alt_km[t+1]-e.alt_km[t]))/ce}for(let e of p)e.update();_.update();let r=`Simulated time ${re(e)} (${ue}x)`;b.textContent!==r&&(b.textContent=r),requestAnimationFrame(C)};b.textContent=`Positions at ${re(r.start_utc)}; loading the tracks…`;let w=u.map(e=>e.norad_id),T=Math.floor(r.minutes*60/de)+1,E=Math.max(1,Math.min(fe,Math.floor(pe/T))),O=[];for(let e=0;e<w.length;e+=E)O.push(w.slice(e,e+E));let k=new AbortController;return Promise.all(O.map(e=>y(`/api/v1/tracks?ids=${e.join(`,`)}&minutes=${r.minutes}&step_s=${de}&start=${encodeURIComponent(r.start_utc)}`,{signal:k.signal}))).then(async t=>{if(!S||(await D(e,t.flatMap(e=>e.markings||[])),!S||!t.length))return;let n=Object.fromEntries(u.map(e=>[e.norad_id,e]));for(let e of t.flatMap(e=>e.tracks))Object.assign(n[e.norad_id]||{},e);let r=t[0].times_utc;u.length<=150&&f.pathsData(u.filter(e=>e.lat.length).map(e=>ve(e,_e(e,r))).flat()),v=r.map(e=>Date.parse(e)),x=performance.now(),d.__animated=!0}).catch(e=>{S&&(b.textContent=`No tracks: ${e.message}`)}),requestAnimationFrame(C),()=>{S=!1,k.abort(),g.disconnect(),f._destructor?.()}}function ge(e,t,[n,r]){let i=new Float32Array(t.length*3),a=new me.BufferGeometry;a.setAttribute(`position`,new me.BufferAttribute(i,3));let o=new me.Points(a,new me.PointsMaterial({color:n,size:r,sizeAttenuation:!1}));o.frustumCulled=!1,e.scene().add(o);let s=e.getGlobeRadius(),c=(e,t,n,r,i)=>{let a=(90-e)*le,o=(90-t)*le,c=s*(1+n),l=Math.sin(a);r[i]=c*l*Math.cos(o),r[i+1]=c*Math.cos(a),r[i+2]=c*l*Math.sin(o)},l=new Float32Array(3);c(10,20,.1,l,0);let u=e.getCoords(10,20,.1),d=Math.hypot(l[0]-u.x,l[1]-u.y,l[2]-u.z)<.001,f=()=>{for(let n=0;n<t.length;n++){let r=t[n];if(d)c(r.latNow,r.lngNow,r.altNow,i,3*n);else{let{x:t,y:a,z:o}=e.getCoords(r.latNow,r.lngNow,r.altNow);i.set([t,a,o],3*n)}}a.attributes.position.needsUpdate=!0};return f(),{sats:t,points:o,update:f}}function _e(e,t){if(!e.period_min||t.length<2)return e.lat.length;let n=(Date.parse(t[1])-Date.parse(t[0]))/6e4;return Math.min(e.lat.length,Math.ceil(2*e.period_min/n)+1)}function ve(e,t){let n=[],r=[];for(let i=0;i<t;i++){if(e.lat[i]===null)continue;let t=[e.lat[i],e.lon[i],e.alt_km[i]/ce];r.length&&Math.abs(t[1]-r[r.length-1][1])>180&&(n.push(r),r=[]),r.push(t)}return r.length&&n.push(r),n.map(t=>({points:t,role:e.role}))}function ye(e,t,n){let r=Object.assign(document.createElement(`div`),{className:`globe-labels`});for(let e of n)e.el=Object.assign(document.createElement(`a`),{href:e.href,className:`glabel ${e.kind}`,textContent:e.text}),e.el.style.visibility=`hidden`,r.append(e.el);t.append(r);for(let e of n)e.w=e.el.offsetWidth,e.el.hidden=!0,e.el.style.visibility=``;n.sort((e,t)=>t.rank-e.rank);let i=e.getGlobeRadius(),a=0;return{update:(o=!1)=>{let s=performance.now();if(!o&&s-a<200)return;a=s;let c=e.camera().position,[l,u]=[t.clientWidth,t.clientHeight];for(let e of n)!e.el.hidden&&e.el.offsetWidth&&(e.w=e.el.offsetWidth);let d=[],f=0;for(let t of n){let[n,r,a]=t.at(),o=e.getCoords(n,r,a),s={x:o.x-c.x,y:o.y-c.y,z:o.z-c.z},p=s.x*s.x+s.y*s.y+s.z*s.z,m=2*(c.x*s.x+c.y*s.y+c.z*s.z),h=c.x*c.x+c.y*c.y+c.z*c.z-i*i,g=m*m-4*p*h,_=g>0?(-m-Math.sqrt(g))/(2*p):-1,v=_>0&&_<.999,y=e.getScreenCoords(n,r,a),b=t.w||7*t.text.length,x={x:y.x+6,y:y.y-8,w:b,h:16},S=!v&&x.x>=0&&x.y>=0&&x.x+b<=l&&x.y+16<=u&&!d.some(e=>x.x<e.x+e.w&&e.x<x.x+x.w&&x.y<e.y+e.h&&e.y<x.y+x.h);S&&(d.push(x),t.el.style.transform=`translate(${x.x.toFixed(0)}px, ${x.y.toFixed(0)}px)`,f+=1),t.el.hidden===S&&(t.el.hidden=!S)}r.dataset.shown=String(f)},items:n,boxes:()=>n.filter(e=>!e.el.hidden).map(e=>e.el.getBoundingClientRect())}}async function B(e){let t=new URLSearchParams(location.hash.split(`?`)[1]||``),n=Math.min(1e3,Math.max(1,Number(t.get(`rows`))||e.limit||100)),r=t.get(`sort`)||e.defaultSort;for(let n of e.form.elements)n.name&&t.has(n.name)&&(n.type===`checkbox`?n.checked=t.get(n.name)===`true`:n.value=t.get(n.name));let i=[null],a=0,o=null,s=0,c=e.table.tHead;c.innerHTML=`<tr>${e.columns.map((e,t)=>`<th scope="col" data-k="${t}"${e.numeric?` class='n'`:``}>${e.sort?`<button type="button">${j(e.label)}</button>`:j(e.label)}</th>`).join(``)}</tr>`;let l=document.createElement(`div`);l.className=`pager`,l.innerHTML=`<button type="button" data-go="-1">Previous</button><button type="button" data-go="1">Next</button>`,e.table.after(l);let u=()=>{let t=new URLSearchParams;for(let n of e.form.elements){if(!n.name)continue;if(n.type===`checkbox`){n.checked&&t.set(n.name,`true`);continue}let e=n.value.trim();if(n.removeAttribute(`aria-invalid`),e!==``){if(n.dataset.utc!==void 0){let r=I(e);r?t.set(n.name,r):n.setAttribute(`aria-invalid`,`true`)}else t.set(n.name,e)}}return e.adjust?.(t),r!==e.defaultSort&&t.set(`sort`,r),t},d=e=>(t.has(`rows`)&&e.set(`rows`,String(n)),e),f=async()=>{let t=++s,f=u(),p=d(new URLSearchParams(f));history.replaceState(null,``,`${location.hash.split(`?`)[0]}${p.toString()?`?${p}`:``}`),f.set(`limit`,String(n)),i[a]&&f.set(`after`,i[a]),e.status.textContent=`Loading…`;let m;try{m=await y(`${e.path}?${f}`)}catch(n){if(t!==s)return;e.table.dataset.loaded=String(s),e.status.innerHTML=`<span class="error" role="alert">${j(n.message)}</span>`;return}if(t!==s)return;let h=e.prepare?await e.prepare(m.items):[];if(t!==s||(await D(e.view,[...m.items.map(e=>e.marking),...h||[]]),t!==s))return;o=m.next;let g=a*n+1,_=m.total??null;e.status.textContent=m.items.length?`${N(g)}–${N(g+m.items.length-1)} of ${_===null?`?`:N(_)}`:`0 of ${_===null?`?`:N(_)}`,e.table.tBodies[0].innerHTML=m.items.map(t=>`<tr ${e.rowAttributes(t)}>${e.columns.map(e=>`<td${e.numeric?` class='n'`:``}>${e.cell(t)}</td>`).join(``)}</tr>`).join(``)||`<tr><td colspan="${e.columns.length}" class="muted">Nothing you may see matches.</td></tr>`,l.querySelector(`[data-go='-1']`).disabled=a===0,l.querySelector(`[data-go='1']`).disabled=!o;for(let t of c.querySelectorAll(`th`)){let n=e.columns[t.dataset.k].sort;t.setAttribute(`aria-sort`,n?r===n[0]?`ascending`:r===n[1]?`descending`:`none`:`none`)}e.drawn?.(m.items,m),e.table.dataset.loaded=String(s),e.table.dataset.total=String(_??``)},p=()=>(i.length=1,a=0,o=null,l.querySelector(`[data-go='1']`).disabled=!0,f()),m=null;return e.form.addEventListener(`input`,()=>{clearTimeout(m),m=setTimeout(p,250)}),e.form.addEventListener(`submit`,e=>{e.preventDefault(),clearTimeout(m),p()}),c.addEventListener(`click`,t=>{let n=t.target.closest(`th`),i=n&&e.columns[n.dataset.k].sort;if(!i)return;let a=e.columns[n.dataset.k];r=r===i[0]?i[1]||i[0]:r===i[1]?i[0]||i[1]:i[+!!a.descFirst]||i[0]||i[1],p()}),l.addEventListener(`click`,e=>{let t=Number(e.target.closest(`button`)?.dataset.go||0);t>0&&o&&(i[a+1]=o,a+=1,f()),t<0&&a>0&&(--a,f())}),await f(),{reload:p}}function V(e){return e.pc===null||e.pc===void 0?`-`:e.pc===0&&e.pc_interval?`< ${e.pc_interval[1].toExponential(1)}`:e.pc.toExponential(2)}var be={formation:`formation (flying together)`,"same-owner":`same owner`};function xe(e,t,n){return`<a href="#/object/${j(e)}">${j(t||`?`)}</a> <span class="muted">${j(e)}</span>${n?`<br><span class="muted">${j(n)}</span>`:``}`}async function Se(e){e.innerHTML=`
    <h1>Conjunctions</h1>
    <form class="filters" id="filters" aria-label="Filter conjunctions">
      <label>Object (name or NORAD id)<input name="object" type="search" maxlength="100"></label>
      <label>Owner<input name="owner" type="search" maxlength="100"></label>
      <label>Miss distance at most (km)<input name="max_miss_km" type="number" min="0" step="0.1"></label>
      <label>Pc at least<input name="min_pc" type="number" min="0" max="1" step="any" placeholder="e.g. 1e-4"></label>
      <label>TCA from (UTC)<input name="since" type="text" data-utc inputmode="numeric" size="22"
        placeholder="2026-05-05T12:00:00Z" title="ISO 8601, UTC: a day, or a day and time"></label>
      <label>TCA until (UTC)<input name="until" type="text" data-utc inputmode="numeric" size="22"
        placeholder="2026-05-06" title="ISO 8601, UTC: a day, or a day and time"></label>
      <label class="check"><input name="hide_related" type="checkbox"> Hide formation and same-owner pairs</label>
      <span id="count" class="muted" aria-live="polite"></span>
    </form>
    <table id="conjunctions"><thead></thead><tbody></tbody></table>`,await B({view:e,path:`/api/v1/conjunctions`,table:e.querySelector(`#conjunctions`),form:e.querySelector(`#filters`),status:e.querySelector(`#count`),defaultSort:`-pc`,rowAttributes:e=>`class="link${e.relation?` related`:``}" tabindex="0" data-id="${j(e.id)}"`,columns:[{label:`TCA (UTC)`,sort:[`tca`,`-tca`],cell:e=>`<span class="time">${j(M(e.tca_utc))}</span>`},{label:`Primary`,sort:null,cell:e=>xe(e.primary_id,e.primary_name,e.primary_owner)},{label:`Secondary`,sort:null,cell:e=>xe(e.secondary_id,e.secondary_name,e.secondary_owner)},{label:`Miss (km)`,sort:[`miss`,`-miss`],numeric:!0,cell:e=>e.miss_km.toFixed(3)},{label:`Pc`,sort:[`pc`,`-pc`],descFirst:!0,numeric:!0,cell:e=>V(e)},{label:`Basis`,sort:null,cell:e=>`<span title="${j((e.pc_flags||[]).join(`, `)||`no usage check failed`)}">${j(e.pc===null?``:e.pc_basis||`pc2d`)}</span>`},{label:`Speed (km/s)`,sort:null,numeric:!0,cell:e=>e.v_rel_km_s.toFixed(3)},{label:`Element-set age (d)`,sort:null,numeric:!0,cell:e=>e.elset_age_days===null||e.elset_age_days===void 0?`-`:e.elset_age_days.toFixed(1)},{label:`Relation`,sort:null,cell:e=>j(be[e.relation]||(e.label?e.label:``))},{label:`Marking`,sort:null,cell:e=>`<span class="mark">${j(e.marking.banner)}</span>`}]});let t=e.querySelector(`#conjunctions tbody`),n=e=>{e?.dataset.id&&(location.hash=`#/conjunction/${e.dataset.id}`)};t.addEventListener(`click`,e=>{e.target.closest(`a`)||n(e.target.closest(`tr`))}),t.addEventListener(`keydown`,e=>{e.key===`Enter`&&!e.target.closest(`a`)&&n(e.target.closest(`tr`))})}async function Ce(e,t=!1){let n={},r={},i=[];for(let t=0;t<e.length;t+=400){let a=e.slice(t,t+400);if(!a.length)continue;let o=await y(`/api/v1/objects/names?ids=${a.join(`,`)}`);Object.assign(n,o.names),Object.assign(r,o.owners),i.push(...o.markings||[])}return t?{names:n,owners:r,markings:i}:n}var we=!0,Te=`uplot`,Ee=`u-hz`,De=`u-vt`,Oe=`u-title`,ke=`u-wrap`,Ae=`u-under`,je=`u-over`,Me=`u-axis`,Ne=`u-off`,Pe=`u-select`,Fe=`u-cursor-x`,Ie=`u-cursor-y`,Le=`u-cursor-pt`,Re=`u-legend`,ze=`u-live`,Be=`u-inline`,Ve=`u-series`,He=`u-marker`,Ue=`u-label`,We=`u-value`,Ge=`width`,Ke=`height`,qe=`top`,Je=`bottom`,Ye=`left`,Xe=`right`,Ze=`#000`,Qe=`#0000`,$e=`mousemove`,et=`mousedown`,tt=`mouseup`,nt=`mouseenter`,rt=`mouseleave`,it=`dblclick`,at=`resize`,ot=`scroll`,st=`change`,ct=`dppxchange`,lt=`--`,ut=typeof window<`u`,dt=ut?document:null,ft=ut?window:null,pt=ut?navigator:null,H,mt;function ht(){let e=devicePixelRatio;H!=e&&(H=e,mt&&kt(st,mt,ht),mt=matchMedia(`(min-resolution: ${H-.001}dppx) and (max-resolution: ${H+.001}dppx)`),Ot(st,mt,ht),ft.dispatchEvent(new CustomEvent(ct)))}function gt(e,t){if(t!=null){let n=e.classList;!n.contains(t)&&n.add(t)}}function _t(e,t){let n=e.classList;n.contains(t)&&n.remove(t)}function U(e,t,n){e.style[t]=n+`px`}function vt(e,t,n,r){let i=dt.createElement(e);return t!=null&&gt(i,t),n?.insertBefore(i,r),i}function yt(e,t){return vt(`div`,e,t)}var bt=new WeakMap;function xt(e,t,n,r,i){let a=`translate(`+t+`px,`+n+`px)`;a!=bt.get(e)&&(e.style.transform=a,bt.set(e,a),t<0||n<0||t>r||n>i?gt(e,Ne):_t(e,Ne))}var St=new WeakMap;function Ct(e,t,n){let r=t+n;r!=St.get(e)&&(St.set(e,r),e.style.background=t,e.style.borderColor=n)}var wt=new WeakMap;function Tt(e,t,n,r){let i=t+``+n;i!=wt.get(e)&&(wt.set(e,i),e.style.height=n+`px`,e.style.width=t+`px`,e.style.marginLeft=r?-t/2+`px`:0,e.style.marginTop=r?-n/2+`px`:0)}var Et={passive:!0},Dt={...Et,capture:!0};function Ot(e,t,n,r){t.addEventListener(e,n,r?Dt:Et)}function kt(e,t,n,r){t.removeEventListener(e,n,Et)}ut&&ht();function At(e,t,n,r){let i;n||=0,r||=t.length-1;let a=r<=2147483647;for(;r-n>1;)i=a?n+r>>1:Zt((n+r)/2),t[i]<e?n=i:r=i;return e-t[n]<=t[r]-e?n:r}function jt(e){return(t,n,r)=>{let i=-1,a=-1;for(let a=n;a<=r;a++)if(e(t[a])){i=a;break}for(let i=r;i>=n;i--)if(e(t[i])){a=i;break}return[i,a]}}var Mt=e=>e!=null,Nt=e=>e!=null&&e>0,Pt=jt(Mt),Ft=jt(Nt);function It(e,t,n,r=0,i=!1){let a=i?Ft:Pt,o=i?Nt:Mt;[t,n]=a(e,t,n);let s=e[t],c=e[t];if(t>-1){if(r==1)s=e[t],c=e[n];else if(r==-1)s=e[n],c=e[t];else for(let r=t;r<=n;r++){let t=e[r];o(t)&&(t<s?s=t:t>c&&(c=t))}}return[s??ln,c??-ln]}function Lt(e,t,n,r){let i=rn(e),a=rn(t);e==t&&(i==-1?(e*=n,t/=n):(e/=n,t*=n));let o=n==10?an:on,s=i==1?Zt:$t,c=a==1?$t:Zt,l=s(o(Xt(e))),u=c(o(Xt(t))),d=nn(n,l),f=nn(n,u);return n==10&&(l<0&&(d=K(d,-l)),u<0&&(f=K(f,-u))),r||n==2?(e=d*i,t=f*a):(e=Cn(e,d),t=Sn(t,f)),[e,t]}function Rt(e,t,n,r){let i=Lt(e,t,n,r);return e==0&&(i[0]=0),t==0&&(i[1]=0),i}var zt=.1,Bt={mode:3,pad:zt},Vt={pad:0,soft:null,mode:0},Ht={min:Vt,max:Vt};function Ut(e,t,n,r){return Pn(n)?Gt(e,t,n):(Vt.pad=n,Vt.soft=r?0:null,Vt.mode=r?3:0,Gt(e,t,Ht))}function W(e,t){return e??t}function Wt(e,t,n){for(t=W(t,0),n=W(n,e.length-1);t<=n;){if(e[t]!=null)return!0;t++}return!1}function Gt(e,t,n){let r=n.min,i=n.max,a=W(r.pad,0),o=W(i.pad,0),s=W(r.hard,-ln),c=W(i.hard,ln),l=W(r.soft,ln),u=W(i.soft,-ln),d=W(r.mode,0),f=W(i.mode,0),p=t-e,m=an(p),h=tn(Xt(e),Xt(t)),g=Xt(an(h)-m);(p<1e-24||g>10)&&(p=0,(e==0||t==0)&&(p=1e-24,d==2&&l!=ln&&(a=0),f==2&&u!=-ln&&(o=0)));let _=p||h||1e3,v=nn(10,Zt(an(_))),y=K(Cn(e-_*(p==0?e==0?.1:1:a),v/10),24),b=e>=l&&(d==1||d==3&&y<=l||d==2&&y>=l)?l:ln,x=tn(s,y<b&&e>=b?b:en(b,y)),S=K(Sn(t+_*(p==0?t==0?.1:1:o),v/10),24),C=t<=u&&(f==1||f==3&&S>=u||f==2&&S<=u)?u:-ln,w=en(c,S>C&&t<=C?C:tn(C,S));return x==w&&x==0&&(w=100),[x,w]}var Kt=new Intl.NumberFormat(ut?pt.language:`en-US`),qt=e=>Kt.format(e),Jt=Math,Yt=Jt.PI,Xt=Jt.abs,Zt=Jt.floor,Qt=Jt.round,$t=Jt.ceil,en=Jt.min,tn=Jt.max,nn=Jt.pow,rn=Jt.sign,an=Jt.log10,on=Jt.log2,sn=(e,t=1)=>Jt.sinh(e)*t,cn=(e,t=1)=>Jt.asinh(e/t),ln=1/0;function un(e){return(an((e^e>>31)-(e>>31))|0)+1}function dn(e,t,n){return en(tn(e,t),n)}function fn(e){return typeof e==`function`}function G(e){return fn(e)?e:()=>e}var pn=()=>{},mn=e=>e,hn=(e,t)=>t,gn=e=>null,_n=e=>!0,vn=(e,t)=>e==t,yn=/\.\d*?(?=9{6,}|0{6,})/gm,bn=e=>{if(jn(e)||wn.has(e))return e;let t=`${e}`,n=t.match(yn);if(n==null)return e;let r=n[0].length-1;if(t.indexOf(`e-`)!=-1){let[e,n]=t.split(`e`);return+`${bn(e)}e${n}`}return K(e,r)};function xn(e,t){return bn(K(bn(e/t))*t)}function Sn(e,t){return bn($t(bn(e/t))*t)}function Cn(e,t){return bn(Zt(bn(e/t))*t)}function K(e,t=0){if(jn(e))return e;let n=10**t;return Qt(e*n*(1+2**-52))/n}var wn=new Map;function Tn(e){return((``+e).split(`.`)[1]||``).length}function En(e,t,n,r){let i=[],a=r.map(Tn);for(let o=t;o<n;o++){let t=Xt(o),n=K(nn(e,o),t);for(let s=0;s<r.length;s++){let c=e==10?+`${r[s]}e${o}`:r[s]*n,l=(o>=0?0:t)+(o>=a[s]?0:a[s]),u=e==10?c:K(c,l);i.push(u),wn.set(u,l)}}return i}var Dn={},On=[],kn=[null,null],An=Array.isArray,jn=Number.isInteger,Mn=e=>e===void 0;function Nn(e){return typeof e==`string`}function Pn(e){let t=!1;if(e!=null){let n=e.constructor;t=n==null||n==Object}return t}function Fn(e){return typeof e==`object`&&!!e}var In=Object.getPrototypeOf(Uint8Array),Ln=`__proto__`;function Rn(e,t=Pn){let n;if(An(e)){let r=e.find(e=>e!=null);if(An(r)||t(r)){n=Array(e.length);for(let r=0;r<e.length;r++)n[r]=Rn(e[r],t)}else n=e.slice()}else if(e instanceof In)n=e.slice();else if(t(e)){n={};for(let r in e)r!=Ln&&(n[r]=Rn(e[r],t))}else n=e;return n}function zn(e){let t=arguments;for(let n=1;n<t.length;n++){let r=t[n];for(let t in r)t!=Ln&&(Pn(e[t])?zn(e[t],Rn(r[t])):e[t]=Rn(r[t]))}return e}var Bn=0,Vn=1,Hn=2;function Un(e,t,n){for(let r=0,i,a=-1;r<t.length;r++){let o=t[r];if(o>a){for(i=o-1;i>=0&&e[i]==null;)e[i--]=null;for(i=o+1;i<n&&e[i]==null;)e[a=i++]=null}}}function Wn(e,t){if(qn(e)){let t=e[0].slice();for(let n=1;n<e.length;n++)t.push(...e[n].slice(1));return Jn(t[0])||(t=Kn(t)),t}let n=new Set;for(let t=0;t<e.length;t++){let r=e[t][0],i=r.length;for(let e=0;e<i;e++)n.add(r[e])}let r=[Array.from(n).sort((e,t)=>e-t)],i=r[0].length,a=new Map;for(let e=0;e<i;e++)a.set(r[0][e],e);for(let n=0;n<e.length;n++){let o=e[n],s=o[0];for(let e=1;e<o.length;e++){let c=o[e],l=Array(i).fill(void 0),u=t?t[n][e]:Vn,d=[];for(let e=0;e<c.length;e++){let t=c[e],n=a.get(s[e]);t===null?u!=Bn&&(l[n]=t,u==Hn&&d.push(n)):l[n]=t}Un(l,d,i),r.push(l)}}return r}var Gn=typeof queueMicrotask>`u`?e=>Promise.resolve().then(e):queueMicrotask;function Kn(e){let t=e[0],n=t.length,r=Array(n);for(let e=0;e<r.length;e++)r[e]=e;r.sort((e,n)=>t[e]-t[n]);let i=[];for(let t=0;t<e.length;t++){let a=e[t],o=Array(n);for(let e=0;e<n;e++)o[e]=a[r[e]];i.push(o)}return i}function qn(e){let t=e[0][0],n=t.length;for(let r=1;r<e.length;r++){let i=e[r][0];if(i.length!=n)return!1;if(i!=t){for(let e=0;e<n;e++)if(i[e]!=t[e])return!1}}return!0}function Jn(e,t=100){let n=e.length;if(n<=1)return!0;let r=0,i=n-1;for(;r<=i&&e[r]==null;)r++;for(;i>=r&&e[i]==null;)i--;if(i<=r)return!0;let a=tn(1,Zt((i-r+1)/t));for(let t=e[r],n=r+a;n<=i;n+=a){let r=e[n];if(r!=null){if(r<=t)return!1;t=r}}return!0}var Yn=[`January`,`February`,`March`,`April`,`May`,`June`,`July`,`August`,`September`,`October`,`November`,`December`],Xn=[`Sunday`,`Monday`,`Tuesday`,`Wednesday`,`Thursday`,`Friday`,`Saturday`];function Zn(e){return e.slice(0,3)}var Qn=Xn.map(Zn),$n={MMMM:Yn,MMM:Yn.map(Zn),WWWW:Xn,WWW:Qn};function er(e){return(e<10?`0`:``)+e}function tr(e){return(e<10?`00`:e<100?`0`:``)+e}var nr={YYYY:e=>e.getFullYear(),YY:e=>(e.getFullYear()+``).slice(2),MMMM:(e,t)=>t.MMMM[e.getMonth()],MMM:(e,t)=>t.MMM[e.getMonth()],MM:e=>er(e.getMonth()+1),M:e=>e.getMonth()+1,DD:e=>er(e.getDate()),D:e=>e.getDate(),WWWW:(e,t)=>t.WWWW[e.getDay()],WWW:(e,t)=>t.WWW[e.getDay()],HH:e=>er(e.getHours()),H:e=>e.getHours(),h:e=>{let t=e.getHours();return t==0?12:t>12?t-12:t},AA:e=>e.getHours()>=12?`PM`:`AM`,aa:e=>e.getHours()>=12?`pm`:`am`,a:e=>e.getHours()>=12?`p`:`a`,mm:e=>er(e.getMinutes()),m:e=>e.getMinutes(),ss:e=>er(e.getSeconds()),s:e=>e.getSeconds(),fff:e=>tr(e.getMilliseconds())};function rr(e,t){t||=$n;let n=[],r=/\{([a-z]+)\}|[^{]+/gi,i;for(;i=r.exec(e);)n.push(i[0][0]==`{`?nr[i[1]]:i[0]);return e=>{let r=``;for(let i=0;i<n.length;i++)r+=typeof n[i]==`string`?n[i]:n[i](e,t);return r}}var ir=new Intl.DateTimeFormat().resolvedOptions().timeZone;function ar(e,t){let n;return t==`UTC`||t==`Etc/UTC`?n=new Date(+e+e.getTimezoneOffset()*6e4):t==ir?n=e:(n=new Date(e.toLocaleString(`en-US`,{timeZone:t})),n.setMilliseconds(e.getMilliseconds())),n}var or=e=>e%1==0,sr=[1,2,2.5,5],cr=En(10,-32,0,sr),lr=En(10,0,32,sr),ur=lr.filter(or),dr=cr.concat(lr),fr=`
`,pr=`{YYYY}`,mr=fr+pr,hr=`{M}/{D}`,gr=fr+hr,_r=gr+`/{YY}`,vr=`{aa}`,yr=`{h}:{mm}`+vr,br=fr+yr,xr=`:{ss}`,q=null;function Sr(e){let t=e*1e3,n=t*60,r=n*60,i=r*24,a=i*30,o=i*365,s=(e==1?En(10,0,3,sr).filter(or):En(10,-3,0,sr)).concat([t,t*5,t*10,t*15,t*30,n,n*5,n*10,n*15,n*30,r,r*2,r*3,r*4,r*6,r*8,r*12,i,i*2,i*3,i*4,i*5,i*6,i*7,i*8,i*9,i*10,i*15,a,a*2,a*3,a*4,a*6,o,o*2,o*5,o*10,o*25,o*50,o*100]),c=[[o,pr,q,q,q,q,q,q,1],[i*28,`{MMM}`,mr,q,q,q,q,q,1],[i,hr,mr,q,q,q,q,q,1],[r,`{h}`+vr,_r,q,gr,q,q,q,1],[n,yr,_r,q,gr,q,q,q,1],[t,xr,_r+` `+yr,q,gr+` `+yr,q,br,q,1],[e,xr+`.{fff}`,_r+` `+yr,q,gr+` `+yr,q,br,q,1]];function l(t){return(s,c,l,u,d,f)=>{let p=[],m=d>=o,h=d>=a&&d<o,g=t(l),_=K(g*e,3),v=Mr(g.getFullYear(),m?0:g.getMonth(),h||m?1:g.getDate()),y=K(v*e,3);if(h||m){let n=h?d/a:0,r=m?d/o:0,i=_==y?_:K(Mr(v.getFullYear()+r,v.getMonth()+n,1)*e,3),s=new Date(Qt(i/e)),c=s.getFullYear(),l=s.getMonth();for(let a=0;i<=u;a++){let o=Mr(c+r*a,l+n*a,1),s=o-t(K(o*e,3));i=K((+o+s)*e,3),i<=u&&p.push(i)}}else{let a=d>=i?i:d,o=y+(Zt(l)-Zt(_))+Sn(_-y,a);p.push(o);let m=t(o),h=m.getHours()+m.getMinutes()/n+m.getSeconds()/r,g=d/r,v=f/s.axes[c]._space;for(;o=K(o+d,e==1?0:3),!(o>u);)if(g>1){let e=Zt(K(h+g,6))%24,n=t(o).getHours()-e;n>1&&(n=-1),o-=n*r,h=(h+g)%24;let i=p[p.length-1];K((o-i)/d,3)*v>=.7&&p.push(o)}else p.push(o)}return p}}return[s,c,l]}var[Cr,wr,Tr]=Sr(1),[Er,Dr,Or]=Sr(.001);En(2,-53,53,[1]);function kr(e,t){return e.map(e=>e.map((n,r)=>r==0||r==8||n==null?n:t(r==1||e[8]==0?n:e[1]+n)))}function Ar(e,t){return(n,r,i,a,o)=>{let s=t.find(e=>o>=e[0])||t[t.length-1],c,l,u,d,f,p;return r.map(t=>{let n=e(t),r=n.getFullYear(),i=n.getMonth(),a=n.getDate(),o=n.getHours(),m=n.getMinutes(),h=n.getSeconds(),g=r!=c&&s[2]||i!=l&&s[3]||a!=u&&s[4]||o!=d&&s[5]||m!=f&&s[6]||h!=p&&s[7]||s[1];return c=r,l=i,u=a,d=o,f=m,p=h,g(n)})}}function jr(e,t){let n=rr(t);return(t,r,i,a,o)=>r.map(t=>n(e(t)))}function Mr(e,t,n){return new Date(e,t,n)}function Nr(e,t){return t(e)}var Pr=`{YYYY}-{MM}-{DD} {h}:{mm}{aa}`;function Fr(e,t){return(n,r,i,a)=>a==null?lt:t(e(r))}function Ir(e,t){let n=e.series[t];return n.width?n.stroke(e,t):n.points.width?n.points.stroke(e,t):null}function Lr(e,t){return e.series[t].fill(e,t)}var Rr={show:!0,live:!0,isolate:!1,mount:pn,markers:{show:!0,width:2,stroke:Ir,fill:Lr,dash:`solid`},idx:null,idxs:null,values:[]};function zr(e,t){let n=e.cursor.points,r=yt(),i=n.size(e,t);U(r,Ge,i),U(r,Ke,i);let a=i/-2;U(r,`marginLeft`,a),U(r,`marginTop`,a);let o=n.width(e,t,i);return o&&U(r,`borderWidth`,o),r}function Br(e,t){let n=e.series[t].points;return n._fill||n._stroke}function Vr(e,t){let n=e.series[t].points;return n._stroke||n._fill}function Hr(e,t){return e.series[t].points.size}var Ur=[0,0];function Wr(e,t,n){return Ur[0]=t,Ur[1]=n,Ur}function Gr(e,t,n,r=!0){return e=>{e.button!=0||r&&e.target!=t||n(e)}}function Kr(e,t,n,r=!0){return e=>{r&&e.target!=t||n(e)}}var qr={show:!0,x:!0,y:!0,lock:!1,move:Wr,points:{one:!1,show:zr,size:Hr,width:0,stroke:Vr,fill:Br},bind:{mousedown:Gr,mouseup:Gr,click:Gr,dblclick:Gr,mousemove:Kr,mouseleave:Kr,mouseenter:Kr},drag:{setScale:!0,x:!0,y:!1,dist:0,uni:null,click:(e,t)=>{t.stopPropagation(),t.stopImmediatePropagation()},_x:!1,_y:!1},focus:{dist:(e,t,n,r,i)=>r-i,prox:-1,bias:0},hover:{skip:[void 0],prox:null,bias:0},left:-10,top:-10,idx:null,dataIdx:null,idxs:null,event:null},Jr={show:!0,stroke:`rgba(0,0,0,0.07)`,width:2},Yr=zn({},Jr,{filter:hn}),Xr=zn({},Yr,{size:10}),Zr=zn({},Jr,{show:!1}),Qr=`12px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif, "Apple Color Emoji", "Segoe UI Emoji", "Segoe UI Symbol", "Noto Color Emoji"`,$r=`bold `+Qr,J=1.5,ei={show:!0,scale:`x`,stroke:Ze,space:50,gap:5,alignTo:1,size:50,labelGap:0,labelSize:30,labelFont:$r,side:2,grid:Yr,ticks:Xr,border:Zr,font:Qr,lineGap:J,rotate:0},ti=`Value`,ni=`Time`,ri={show:!0,scale:`x`,auto:!1,sorted:1,min:ln,max:-1/0,idxs:[]};function ii(e,t,n,r,i){return t.map(e=>e==null?``:qt(e))}function ai(e,t,n,r,i,a,o){let s=[],c=wn.get(i)||0;n=o?n:K(Sn(n,i),c);for(let e=n;e<=r;e=K(e+i,c))s.push(Object.is(e,-0)?0:e);return s}function oi(e,t,n,r,i,a,o){let s=[],c=e.scales[e.axes[t].scale].log;i=nn(c,Zt((c==10?an:on)(n))),c==10&&(i=dr[At(i,dr)]);let l=n,u=i*c;c==10&&(u=dr[At(u,dr)]);do s.push(l),l+=i,c==10&&!wn.has(l)&&(l=K(l,wn.get(i))),l>=u&&(i=l,u=i*c,c==10&&(u=dr[At(u,dr)]));while(l<=r);return s}function si(e,t,n,r,i,a,o){let s=e.scales[e.axes[t].scale].asinh,c=r>s?oi(e,t,tn(s,n),r,i):[s],l=r>=0&&n<=0?[0]:[];return(n<-s?oi(e,t,tn(s,-r),-n,i):[s]).reverse().map(e=>-e).concat(l,c)}var Y=/./,ci=/[12357]/,li=/[125]/,ui=/1/,di=(e,t,n,r)=>e.map((e,i)=>t==4&&e==0||i%r==0&&n.test(e.toExponential()[+(e<0)])?e:null);function fi(e,t,n,r,i){let a=e.axes[n],o=a.scale,s=e.scales[o],c=e.valToPos,l=a._space,u=c(10,o),d=c(9,o)-u>=l?Y:c(7,o)-u>=l?ci:c(5,o)-u>=l?li:ui;if(d==ui){let e=Xt(c(1,o)-u);if(e<l)return di(t.slice().reverse(),s.distr,d,$t(l/e)).reverse()}return di(t,s.distr,d,1)}function pi(e,t,n,r,i){let a=e.axes[n],o=a.scale,s=a._space,c=e.valToPos,l=Xt(c(1,o)-c(2,o));return l<s?di(t.slice().reverse(),3,Y,$t(s/l)).reverse():t}function mi(e,t,n,r){return r==null?lt:t==null?``:qt(t)}var hi={show:!0,scale:`y`,stroke:Ze,space:30,gap:5,alignTo:1,size:50,labelGap:0,labelSize:30,labelFont:$r,side:3,grid:Yr,ticks:Xr,border:Zr,font:Qr,lineGap:J,rotate:0};function gi(e,t){return K((3+(e||1)*2)*t,3)}function X(e,t){let{scale:n,idxs:r}=e.series[0],i=e._data[0],a=e.valToPos(i[r[0]],n,!0),o=Xt(e.valToPos(i[r[1]],n,!0)-a)/(e.series[t].points.space*H);return r[1]-r[0]<=o}var _i={scale:null,auto:!0,sorted:0,min:ln,max:-1/0},vi=(e,t,n,r,i)=>i,yi={show:!0,auto:!0,sorted:0,gaps:vi,alpha:1,facets:[zn({},_i,{scale:`x`}),zn({},_i,{scale:`y`})]},bi={scale:`y`,auto:!0,sorted:0,show:!0,spanGaps:!1,gaps:vi,alpha:1,points:{show:X,filter:null},values:null,min:ln,max:-1/0,idxs:[],path:null,clip:null};function xi(e,t,n,r,i){return n/10}var Si={time:we,auto:!0,distr:1,log:10,asinh:1,min:null,max:null,dir:1,ori:0},Ci=zn({},Si,{time:!1,ori:1}),wi={};function Ti(e,t){let n=wi[e];return n||(n={key:e,plots:[],sub(e){n.plots.push(e)},unsub(e){n.plots=n.plots.filter(t=>t!=e)},pub(e,t,r,i,a,o,s){for(let c=0;c<n.plots.length;c++)n.plots[c]!=t&&n.plots[c].pub(e,t,r,i,a,o,s)}},e!=null&&(wi[e]=n)),n}var Ei=1,Di=2;function Oi(e,t,n){let r=e.mode,i=e.series[t],a=r==2?e._data[t]:e._data,o=e.scales,s=e.bbox,c=a[0],l=r==2?a[1]:a[t],u=r==2?o[i.facets[0].scale]:o[e.series[0].scale],d=r==2?o[i.facets[1].scale]:o[i.scale],f=s.left,p=s.top,m=s.width,h=s.height,g=e.valToPosH,_=e.valToPosV;return u.ori==0?n(i,c,l,u,d,g,_,f,p,m,h,Li,zi,Vi,Ui,Gi):n(i,c,l,u,d,_,g,p,f,h,m,Ri,Bi,Hi,Wi,Ki)}function ki(e,t){let n=0,r=0,i=W(e.bands,On);for(let e=0;e<i.length;e++){let a=i[e];a.series[0]==t?n=a.dir:a.series[1]==t&&(a.dir==1?r|=1:r|=2)}return[n,r==1?-1:r==2?1:r==3?2:0]}function Ai(e,t,n,r,i){let a=e.mode,o=e.series[t],s=a==2?o.facets[1].scale:o.scale,c=e.scales[s];return i==-1?c.min:i==1?c.max:c.distr==3?c.dir==1?c.min:c.max:0}function ji(e,t,n,r,i,a){return Oi(e,t,(e,t,o,s,c,l,u,d,f,p,m)=>{let h=e.pxRound,g=s.dir*(s.ori==0?1:-1),_=s.ori==0?zi:Bi,v,y;g==1?(v=n,y=r):(v=r,y=n);let b=h(l(t[v],s,p,d)),x=h(u(o[v],c,m,f)),S=h(l(t[y],s,p,d)),C=h(u(a==1?c.max:c.min,c,m,f)),w=new Path2D(i);return _(w,S,C),_(w,b,C),_(w,b,x),w})}function Mi(e,t,n,r,i,a){let o=null;if(e.length>0){o=new Path2D;let s=t==0?Vi:Hi,c=n;for(let t=0;t<e.length;t++){let n=e[t];if(n[1]>n[0]){let e=n[0]-c;e>0&&s(o,c,r,e,r+a),c=n[1]}}let l=n+i-c;l>0&&s(o,c,r-5,l,r+a+10)}return o}function Ni(e,t,n){let r=e[e.length-1];r&&r[0]==t?r[1]=n:e.push([t,n])}function Pi(e,t,n,r,i,a,o){let s=[],c=e.length;for(let l=i==1?n:r;l>=n&&l<=r;l+=i)if(t[l]===null){let u=l,d=l;if(i==1)for(;++l<=r&&t[l]===null;)d=l;else for(;--l>=n&&t[l]===null;)d=l;let f=a(e[u]),p=d==u?f:a(e[d]),m=u-i;f=o<=0&&m>=0&&m<c?a(e[m]):f;let h=d+i;p=o>=0&&h>=0&&h<c?a(e[h]):p,p>=f&&s.push([f,p])}return s}function Fi(e){return e==0?mn:e==1?Qt:t=>xn(t,e)}function Ii(e){let t=e==0?Li:Ri,n=e==0?(e,t,n,r,i,a)=>{e.arcTo(t,n,r,i,a)}:(e,t,n,r,i,a)=>{e.arcTo(n,t,i,r,a)},r=e==0?(e,t,n,r,i)=>{e.rect(t,n,r,i)}:(e,t,n,r,i)=>{e.rect(n,t,i,r)};return(e,i,a,o,s,c=0,l=0)=>{c==0&&l==0?r(e,i,a,o,s):(c=en(c,o/2,s/2),l=en(l,o/2,s/2),t(e,i+c,a),n(e,i+o,a,i+o,a+s,c),n(e,i+o,a+s,i,a+s,l),n(e,i,a+s,i,a,l),n(e,i,a,i+o,a,c),e.closePath())}}var Li=(e,t,n)=>{e.moveTo(t,n)},Ri=(e,t,n)=>{e.moveTo(n,t)},zi=(e,t,n)=>{e.lineTo(t,n)},Bi=(e,t,n)=>{e.lineTo(n,t)},Vi=Ii(0),Hi=Ii(1),Ui=(e,t,n,r,i,a)=>{e.arc(t,n,r,i,a)},Wi=(e,t,n,r,i,a)=>{e.arc(n,t,r,i,a)},Gi=(e,t,n,r,i,a,o)=>{e.bezierCurveTo(t,n,r,i,a,o)},Ki=(e,t,n,r,i,a,o)=>{e.bezierCurveTo(n,t,i,r,o,a)};function qi(e){return(e,t,n,r,i)=>Oi(e,t,(t,a,o,s,c,l,u,d,f,p,m)=>{let{pxRound:h,points:g}=t,_,v;s.ori==0?(_=Li,v=Ui):(_=Ri,v=Wi);let y=K(g.width*H,3),b=(g.size-g.width)/2*H,x=K(b*2,3),S=new Path2D,C=new Path2D,{left:w,top:T,width:E,height:D}=e.bbox;Vi(C,w-x,T-x,E+x*2,D+x*2);let O=e=>{if(o[e]!=null){let t=h(l(a[e],s,p,d)),n=h(u(o[e],c,m,f));_(S,t+b,n),v(S,t,n,b,0,Yt*2)}};if(i)i.forEach(O);else for(let e=n;e<=r;e++)O(e);return{stroke:y>0?S:null,fill:S,clip:C,flags:3}})}function Ji(e){return(t,n,r,i,a,o)=>{r!=i&&(a!=r&&o!=r&&e(t,n,r),a!=i&&o!=i&&e(t,n,i),e(t,n,o))}}var Yi=Ji(zi),Xi=Ji(Bi);function Zi(e){let t=W(e?.alignGaps,0);return(e,n,r,i)=>Oi(e,n,(a,o,s,c,l,u,d,f,p,m,h)=>{[r,i]=Pt(s,r,i);let g=a.pxRound,_=e=>g(u(e,c,m,f)),v=e=>g(d(e,l,h,p)),y,b;c.ori==0?(y=zi,b=Yi):(y=Bi,b=Xi);let x=c.dir*(c.ori==0?1:-1),S={stroke:new Path2D,fill:null,clip:null,band:null,gaps:null,flags:Ei},C=S.stroke,w=!1;if(i-r>=m*4){let t=t=>e.posToVal(t,c.key,!0),n=null,a=null,l,u,d,f=_(o[x==1?r:i]),p=_(o[r]),m=_(o[i]),h=t(x==1?p+1:m-1);for(let e=x==1?r:i;e>=r&&e<=i;e+=x){let r=o[e],i=(x==1?r<h:r>h)?f:_(r),c=s[e];i==f?c==null?c===null&&(w=!0):(u=c,n==null?(y(C,i,v(u)),l=n=a=u):u<n?n=u:u>a&&(a=u)):(n!=null&&b(C,f,v(n),v(a),v(l),v(u)),c==null?(n=a=null,c===null&&(w=!0)):(u=c,y(C,i,v(u)),n=a=l=u),f=i,h=t(f+x))}n!=null&&n!=a&&d!=f&&b(C,f,v(n),v(a),v(l),v(u))}else for(let e=x==1?r:i;e>=r&&e<=i;e+=x){let t=s[e];t===null?w=!0:t!=null&&y(C,_(o[e]),v(t))}let[T,E]=ki(e,n);if(a.fill!=null||T!=0){let t=S.fill=new Path2D(C),s=v(a.fillTo(e,n,a.min,a.max,T)),c=_(o[r]),l=_(o[i]);x==-1&&([l,c]=[c,l]),y(t,l,s),y(t,c,s)}if(!a.spanGaps){let l=[];w&&l.push(...Pi(o,s,r,i,x,_,t)),S.gaps=l=a.gaps(e,n,r,i,l),S.clip=Mi(l,c.ori,f,p,m,h)}return E!=0&&(S.band=E==2?[ji(e,n,r,i,C,-1),ji(e,n,r,i,C,1)]:ji(e,n,r,i,C,E)),S})}function Qi(e){let t=W(e.align,1),n=W(e.ascDesc,!1),r=W(e.alignGaps,0),i=W(e.extend,!1);return(e,a,o,s)=>Oi(e,a,(c,l,u,d,f,p,m,h,g,_,v)=>{[o,s]=Pt(u,o,s);let y=c.pxRound,{left:b,width:x}=e.bbox,S=e=>y(p(e,d,_,h)),C=e=>y(m(e,f,v,g)),w=d.ori==0?zi:Bi,T={stroke:new Path2D,fill:null,clip:null,band:null,gaps:null,flags:Ei},E=T.stroke,D=d.dir*(d.ori==0?1:-1),O=C(u[D==1?o:s]),k=S(l[D==1?o:s]),ee=k,A=k;i&&t==-1&&(A=b,w(E,A,O)),w(E,k,O);for(let e=D==1?o:s;e>=o&&e<=s;e+=D){let n=u[e];if(n==null)continue;let r=S(l[e]),i=C(n);t==1?w(E,r,O):w(E,ee,i),w(E,r,i),O=i,ee=r}let j=ee;i&&t==1&&(j=b+x,w(E,j,O));let[te,M]=ki(e,a);if(c.fill!=null||te!=0){let t=T.fill=new Path2D(E),n=C(c.fillTo(e,a,c.min,c.max,te));w(t,j,n),w(t,A,n)}if(!c.spanGaps){let i=[];i.push(...Pi(l,u,o,s,D,S,r));let f=c.width*H/2,p=n||t==1?f:-f,m=n||t==-1?-f:f;i.forEach(e=>{e[0]+=p,e[1]+=m}),T.gaps=i=c.gaps(e,a,o,s,i),T.clip=Mi(i,d.ori,h,g,_,v)}return M!=0&&(T.band=M==2?[ji(e,a,o,s,E,-1),ji(e,a,o,s,E,1)]:ji(e,a,o,s,E,M)),T})}function $i(e,t,n,r,i,a,o=ln){if(e.length>1){let s=null;for(let c=0,l=1/0;c<e.length;c++)if(t[c]!==void 0){if(s!=null){let t=Xt(e[c]-e[s]);t<l&&(l=t,o=Xt(n(e[c],r,i,a)-n(e[s],r,i,a)))}s=c}}return o}function ea(e){e||=Dn;let t=W(e.size,[.6,ln,1]),n=e.align||0,r=e.gap||0,i=e.radius;i=i==null?[0,0]:typeof i==`number`?[i,0]:i;let a=G(i),o=1-t[0],s=W(t[1],ln),c=W(t[2],1),l=W(e.disp,Dn),u=W(e.each,e=>{}),{fill:d,stroke:f}=l;return(e,t,i,p)=>Oi(e,t,(m,h,g,_,v,y,b,x,S,C,w)=>{let T=m.pxRound,E=n,D=r*H,O=s*H,k=c*H,ee,A;_.ori==0?[ee,A]=a(e,t):[A,ee]=a(e,t);let j=_.dir*(_.ori==0?1:-1),te=_.ori==0?Vi:Hi,M=_.ori==0?u:(e,t,n,r,i,a,o)=>{u(e,t,n,i,r,o,a)},ne=W(e.bands,On).find(e=>e.series[0]==t),re=ne==null?0:ne.dir,N=m.fillTo(e,t,m.min,m.max,re),P=T(b(N,v,w,S)),F,I,ie,L=C,R=T(m.width*H),ae=!1,oe=null,se=null,z=null,ce=null;d!=null&&(R==0||f!=null)&&(ae=!0,oe=d.values(e,t,i,p),se=new Map,new Set(oe).forEach(e=>{e!=null&&se.set(e,new Path2D)}),R>0&&(z=f.values(e,t,i,p),ce=new Map,new Set(z).forEach(e=>{e!=null&&ce.set(e,new Path2D)})));let{x0:le,size:ue}=l;if(le!=null&&ue!=null){E=1,h=le.values(e,t,i,p),le.unit==2&&(h=h.map(t=>e.posToVal(x+t*C,_.key,!0)));let n=ue.values(e,t,i,p);I=ue.unit==2?n[0]*C:y(n[0],_,C,x)-y(0,_,C,x),L=$i(h,g,y,_,C,x,L),ie=L-I+D}else L=$i(h,g,y,_,C,x,L),ie=L*o+D,I=L-ie;ie<1&&(ie=0),R>=I/2&&(R=0),ie<5&&(T=mn);let de=ie>0,fe=L-ie-(de?R:0);I=T(dn(fe,k,O)),F=(E==0?I/2:E==j?0:I)-E*j*((E==0?D/2:0)+(de?R/2:0));let pe={stroke:null,fill:null,clip:null,band:null,gaps:null,flags:0},me=ae?null:new Path2D,he=null;if(ne!=null)he=e.data[ne.series[1]];else{let{y0:n,y1:r}=l;n!=null&&r!=null&&(g=r.values(e,t,i,p),he=n.values(e,t,i,p))}let ge=ee*I,_e=A*I;for(let n=j==1?i:p;n>=i&&n<=p;n+=j){let r=g[n];if(r==null)continue;if(he!=null){let e=he[n]??0;if(r-e==0)continue;P=b(e,v,w,S)}let i=y(_.distr!=2||l!=null?h[n]:n,_,C,x),a=b(W(r,N),v,w,S),o=T(i-F),s=T(tn(a,P)),c=T(en(a,P)),u=s-c;if(r!=null){let i=r<0?_e:ge,a=r<0?ge:_e;ae?(R>0&&z[n]!=null&&te(ce.get(z[n]),o,c+Zt(R/2),I,tn(0,u-R),i,a),oe[n]!=null&&te(se.get(oe[n]),o,c+Zt(R/2),I,tn(0,u-R),i,a)):te(me,o,c+Zt(R/2),I,tn(0,u-R),i,a),M(e,t,n,o-R/2,c,I+R,u)}}return R>0?pe.stroke=ae?ce:me:ae||(pe._fill=m.width==0?m._fill:m._stroke??m._fill,pe.width=0),pe.fill=ae?se:me,pe})}function ta(e,t){let n=W(t?.alignGaps,0);return(t,r,i,a)=>Oi(t,r,(o,s,c,l,u,d,f,p,m,h,g)=>{[i,a]=Pt(c,i,a);let _=o.pxRound,v=e=>_(d(e,l,h,p)),y=e=>_(f(e,u,g,m)),b,x,S;l.ori==0?(b=Li,S=zi,x=Gi):(b=Ri,S=Bi,x=Ki);let C=l.dir*(l.ori==0?1:-1),w=v(s[C==1?i:a]),T=w,E=[],D=[];for(let e=C==1?i:a;e>=i&&e<=a;e+=C)if(c[e]!=null){let t=s[e],n=v(t);E.push(T=n),D.push(y(c[e]))}let O={stroke:e(E,D,b,S,x,_),fill:null,clip:null,band:null,gaps:null,flags:Ei},k=O.stroke,[ee,A]=ki(t,r);if(o.fill!=null||ee!=0){let e=O.fill=new Path2D(k),n=y(o.fillTo(t,r,o.min,o.max,ee));S(e,T,n),S(e,w,n)}if(!o.spanGaps){let e=[];e.push(...Pi(s,c,i,a,C,v,n)),O.gaps=e=o.gaps(t,r,i,a,e),O.clip=Mi(e,l.ori,p,m,h,g)}return A!=0&&(O.band=A==2?[ji(t,r,i,a,k,-1),ji(t,r,i,a,k,1)]:ji(t,r,i,a,k,A)),O})}function na(e){return ta(ra,e)}function ra(e,t,n,r,i,a){let o=e.length;if(o<2)return null;let s=new Path2D;if(n(s,e[0],t[0]),o==2)r(s,e[1],t[1]);else{let n=Array(o),r=Array(o-1),a=Array(o-1),c=Array(o-1);for(let n=0;n<o-1;n++)a[n]=t[n+1]-t[n],c[n]=e[n+1]-e[n],r[n]=a[n]/c[n];n[0]=r[0];for(let e=1;e<o-1;e++)r[e]===0||r[e-1]===0||r[e-1]>0!=r[e]>0?n[e]=0:(n[e]=3*(c[e-1]+c[e])/((2*c[e]+c[e-1])/r[e-1]+(c[e]+2*c[e-1])/r[e]),isFinite(n[e])||(n[e]=0));n[o-1]=r[o-2];for(let r=0;r<o-1;r++)i(s,e[r]+c[r]/3,t[r]+n[r]*c[r]/3,e[r+1]-c[r]/3,t[r+1]-n[r+1]*c[r]/3,e[r+1],t[r+1])}return s}var ia=new Set;function aa(){for(let e of ia)e.syncRect(!0)}ut&&(Ot(at,ft,aa),Ot(ot,ft,aa,!0),Ot(ct,ft,()=>{Z.pxRatio=H}));var oa=Zi(),sa=qi();function ca(e,t,n,r){return(r?[e[0],e[1]].concat(e.slice(2)):[e[0]].concat(e.slice(1))).map((e,r)=>ua(e,r,t,n))}function la(e,t){return e.map((e,n)=>n==0?{}:zn({},t,e))}function ua(e,t,n,r){return zn({},t==0?n:r,e)}function da(e,t,n){return t==null?kn:[t,n]}var fa=da;function pa(e,t,n){return t==null?kn:Ut(t,n,zt,!0)}function ma(e,t,n,r){return t==null?kn:Lt(t,n,e.scales[r].log,!1)}var ha=ma;function ga(e,t,n,r){return t==null?kn:Rt(t,n,e.scales[r].log,!1)}var _a=ga;function va(e,t,n,r,i){let a=tn(un(e),un(t)),o=t-e,s=At(i/r*o,n);do{let e=n[s],t=r*e/o;if(t>=i&&a+(e<5?wn.get(e):0)<=17)return[e,t]}while(++s<n.length);return[0,0]}function ya(e){let t,n;return e=e.replace(/(\d+)px/,(e,r)=>(t=Qt((n=+r)*H))+`px`),[e,t,n]}function ba(e){e.show&&[e.font,e.labelFont].forEach(e=>{let t=K(e[2]*H,1);e[0]=e[0].replace(/[0-9.]+px/,t+`px`),e[1]=t})}function Z(e,t,n){let r={mode:W(e.mode,1)},i=r.mode;function a(e,t,n,r){let i=t.valToPct(e);return r+n*(t.dir==-1?1-i:i)}function o(e,t,n,r){let i=t.valToPct(e);return r+n*(t.dir==-1?i:1-i)}function s(e,t,n,r){return t.ori==0?a(e,t,n,r):o(e,t,n,r)}r.valToPosH=a,r.valToPosV=o;let c=!1;r.status=0;let l=r.root=yt(Te);if(e.id!=null&&(l.id=e.id),gt(l,e.class),e.title){let t=yt(Oe,l);t.textContent=e.title}let u=vt(`canvas`),d=r.ctx=u.getContext(`2d`),f=yt(ke,l);Ot(`click`,f,e=>{e.target===m&&(J!=Xr||Y!=Zr)&&li.click(r,e)},!0);let p=r.under=yt(Ae,f);f.appendChild(u);let m=r.over=yt(je,f);e=Rn(e);let h=+W(e.pxAlign,1),g=Fi(h);(e.plugins||[]).forEach(t=>{t.opts&&(e=t.opts(r,e)||e)});let _=e.ms||.001,v=r.series=i==1?ca(e.series||[],ri,bi,!1):la(e.series||[null],yi),y=r.axes=ca(e.axes||[],ei,hi,!0),b=r.scales={},x=r.bands=e.bands||[];x.forEach(e=>{e.fill=G(e.fill||null),e.dir=W(e.dir,-1)});let S=i==2?v[1].facets[0].scale:v[0].scale,C={axes:xr,series:cr},w=(e.drawOrder||[`axes`,`series`]).map(e=>C[e]);function T(e){let t=e.distr==3?t=>an(t>0?t:e.clamp(r,t,e.min,e.max,e.key)):e.distr==4?t=>cn(t,e.asinh):e.distr==100?t=>e.fwd(t):e=>e;return n=>{let r=t(n),{_min:i,_max:a}=e,o=a-i;return(r-i)/o}}function E(t){let n=b[t];if(n==null){let r=(e.scales||Dn)[t]||Dn;if(r.from!=null){E(r.from);let e=zn({},b[r.from],r,{key:t});e.valToPct=T(e),b[t]=e}else{n=b[t]=zn({},t==S?Si:Ci,r),n.key=t;let e=n.time,a=n.range,o=An(a);if((t!=S||i==2&&!e)&&(o&&(a[0]==null||a[1]==null)&&(a={min:a[0]==null?Bt:{mode:1,hard:a[0],soft:a[0]},max:a[1]==null?Bt:{mode:1,hard:a[1],soft:a[1]}},o=!1),!o&&Pn(a))){let e=a;a=(t,n,r)=>n==null?kn:Ut(n,r,e)}n.range=G(a||(e?fa:t==S?n.distr==3?ha:n.distr==4?_a:da:n.distr==3?ma:n.distr==4?ga:pa)),n.auto=G(!o&&n.auto),n.clamp=G(n.clamp||xi),n._min=n._max=null,n.valToPct=T(n)}}}E(`x`),E(`y`),i==1&&v.forEach(e=>{E(e.scale)}),y.forEach(e=>{E(e.scale)});for(let t in e.scales)E(t);let D=b[S],O=D.distr,k,ee;D.ori==0?(gt(l,Ee),k=a,ee=o):(gt(l,De),k=o,ee=a);let A={};for(let e in b){let t=b[e];(t.min!=null||t.max!=null)&&(A[e]={min:t.min,max:t.max},t.min=t.max=null)}let j=e.tzDate||(e=>new Date(Qt(e/_))),te=e.fmtDate||rr,M=_==1?Tr(j):Or(j),ne=Ar(j,kr(_==1?wr:Dr,te)),re=Fr(j,Nr(Pr,te)),N=[],P=r.legend=zn({},Rr,e.legend),F=r.cursor=zn({},qr,{drag:{y:i==2}},e.cursor),I=P.show,ie=F.show,L=P.markers;P.idxs=N,L.width=G(L.width),L.dash=G(L.dash),L.stroke=G(L.stroke),L.fill=G(L.fill);let R,ae,oe,se=[],z=[],ce,le=!1,ue={};if(P.live){let e=v[1]?v[1].values:null;le=e!=null,ce=le?e(r,1,0):{_:0};for(let e in ce)ue[e]=lt}if(I){if(R=vt(`table`,Re,l),oe=vt(`tbody`,null,R),P.mount(r,R),le){ae=vt(`thead`,null,R,oe);let e=vt(`tr`,null,ae);for(var de in vt(`th`,null,e),ce)vt(`th`,Ue,e).textContent=de}else gt(R,Be),P.live&&gt(R,ze)}let fe={show:!0},pe={show:!1};function me(e,t){if(t==0&&(le||!P.live||i==2))return kn;let n=[],a=vt(`tr`,Ve,oe,oe.childNodes[t]);gt(a,e.class),e.show||gt(a,Ne);let o=vt(`th`,null,a);if(L.show){let e=yt(He,o);if(t>0){let n=L.width(r,t);n&&(e.style.border=n+`px `+L.dash(r,t)+` `+L.stroke(r,t)),e.style.background=L.fill(r,t)}}let s=yt(Ue,o);for(var c in e.label instanceof HTMLElement?s.appendChild(e.label):s.textContent=e.label,t>0&&(L.show||(s.style.color=e.width>0?L.stroke(r,t):L.fill(r,t)),ge(`click`,o,t=>{if(F._lock)return;Ft(t);let n=v.indexOf(e);if((t.ctrlKey||t.metaKey)!=P.isolate){let e=v.some((e,t)=>t>0&&t!=n&&e.show);v.forEach((t,r)=>{r>0&&ki(r,e?r==n?fe:pe:fe,!0,ja.setSeries)})}else ki(n,{show:!e.show},!0,ja.setSeries)},!1),Gt&&ge(nt,o,t=>{F._lock||(Ft(t),ki(v.indexOf(e),zi,!0,ja.setSeries))},!1)),ce){let e=vt(`td`,We,a);e.textContent=`--`,n.push(e)}return[a,n]}let he=new Map;function ge(e,t,n,i=!0){let a=he.get(t)||{},o=F.bind[e](r,t,n,i);o&&(Ot(e,t,a[e]=o),he.set(t,a))}function _e(e,t,n){let r=he.get(t)||{};for(let n in r)(e==null||n==e)&&(kt(n,t,r[n]),delete r[n]);e??he.delete(t)}let ve=0,ye=0,B=0,V=0,be=0,xe=0,Se=be,Ce=xe,we=B,Ze=V,at=0,ot=0,st=0,ut=0;r.bbox={};let pt=!1,mt=!1,ht=!1,bt=!1,St=!1,wt=!1;function Et(e,t,n){(n||e!=r.width||t!=r.height)&&Dt(e,t),q(!1),ht=!0,mt=!0,zr()}function Dt(e,t){r.width=ve=B=e,r.height=ye=V=t,be=xe=0,Nt(),Pt();let n=r.bbox;at=n.left=xn(be*H,.5),ot=n.top=xn(xe*H,.5),st=n.width=xn(B*H,.5),ut=n.height=xn(V*H,.5)}function jt(){let e=!1,t=0;for(;!e;){t++;let n=yr(t),i=br(t);e=t==3||n&&i,e||(Dt(r.width,r.height),mt=!0)}}function Mt({width:e,height:t}){Et(e,t)}r.setSize=Mt;function Nt(){let e=!1,t=!1,n=!1,r=!1;y.forEach((i,a)=>{if(i.show&&i._show){let{side:a,_size:o}=i,s=a%2,c=o+(i.label==null?0:i.labelSize);c>0&&(s?(B-=c,a==3?(be+=c,r=!0):n=!0):(V-=c,a==0?(xe+=c,e=!0):t=!0))}}),mn[0]=e,mn[1]=n,mn[2]=t,mn[3]=r,B-=Cn[1]+Cn[3],be+=Cn[3],V-=Cn[2]+Cn[0],xe+=Cn[0]}function Pt(){let e=be+B,t=xe+V,n=be,r=xe;function i(i,a){switch(i){case 1:return e+=a,e-a;case 2:return t+=a,t-a;case 3:return n-=a,n+a;case 0:return r-=a,r+a}}y.forEach((e,t)=>{if(e.show&&e._show){let t=e.side;e._pos=i(t,e._size),e.label!=null&&(e._lpos=i(t,e.labelSize))}})}if(F.dataIdx==null){let e=F.hover,n=e.skip=new Set(e.skip??[]);n.add(void 0);let r=e.prox=G(e.prox),i=e.bias??=0;F.dataIdx=(e,a,o,s)=>{if(a==0)return o;let c=o,l=r(e,a,o,s)??ln,u=l>=0&&l<ln,d=D.ori==0?B:V,f=F.left,p=t[0],m=t[a];if(n.has(m[o])){c=null;let e=null,t=null,r;if(i==0||i==-1)for(r=o;e==null&&r-->0;)n.has(m[r])||(e=r);if(i==0||i==1)for(r=o;t==null&&r++<m.length;)n.has(m[r])||(t=r);if(e!=null||t!=null){if(u){let n=e==null?-1/0:k(p[e],D,d,0),r=t==null?1/0:k(p[t],D,d,0),i=f-n,a=r-f;i<=a?i<=l&&(c=e):a<=l&&(c=t)}else c=t==null?e:e==null?t:o-e<=t-o?e:t}}else u&&Xt(f-k(p[o],D,d,0))>l&&(c=null);return c}}let Ft=e=>{F.event=e};F.idxs=N,F._lock=!1;let Vt=F.points;Vt.show=G(Vt.show),Vt.size=G(Vt.size),Vt.stroke=G(Vt.stroke),Vt.width=G(Vt.width),Vt.fill=G(Vt.fill);let Ht=r.focus=zn({},e.focus||{alpha:.3},F.focus),Gt=Ht.prox>=0,Kt=Gt&&Vt.one,qt=[],Jt=[],Zt=[];function rn(e,t){let n=Vt.show(r,t);if(n instanceof HTMLElement)return gt(n,Le),gt(n,e.class),xt(n,-10,-10,B,V),m.insertBefore(n,qt[t]),n}function on(e,t){if(i==1||t>0){let t=i==1&&b[e.scale].time,n=e.value;e.value=t?Nn(n)?Fr(j,Nr(n,te)):n||re:n||mi,e.label=e.label||(t?ni:ti)}if(Kt||t>0){e.width=e.width==null?1:e.width,e.paths=e.paths||oa||gn,e.fillTo=G(e.fillTo||Ai),e.pxAlign=+W(e.pxAlign,h),e.pxRound=Fi(e.pxAlign),e.stroke=G(e.stroke||null),e.fill=G(e.fill||null),e._stroke=e._fill=e._paths=e._focus=null;let t=gi(tn(1,e.width),1),n=e.points=zn({},{size:t,width:tn(1,t*.2),stroke:e.stroke,space:t*2,paths:sa,_stroke:null,_fill:null},e.points);n.show=G(n.show),n.filter=G(n.filter),n.fill=G(n.fill),n.stroke=G(n.stroke),n.paths=G(n.paths),n.pxAlign=e.pxAlign}if(I){let n=me(e,t);se.splice(t,0,n[0]),z.splice(t,0,n[1]),P.values.push(null)}if(ie){N.splice(t,0,null);let n=null;Kt?t==0&&(n=rn(e,t)):t>0&&(n=rn(e,t)),qt.splice(t,0,n),Jt.splice(t,0,0),Zt.splice(t,0,0)}ka(`addSeries`,t)}function un(e,t){t??=v.length,e=i==1?ua(e,t,ri,bi):ua(e,t,{},yi),v.splice(t,0,e),on(v[t],t)}r.addSeries=un;function pn(e){if(v.splice(e,1),I){P.values.splice(e,1),z.splice(e,1);let t=se.splice(e,1)[0];_e(null,t.firstChild),t.remove()}ie&&(N.splice(e,1),qt.splice(e,1)[0].remove(),Jt.splice(e,1),Zt.splice(e,1)),ka(`delSeries`,e)}r.delSeries=pn;let mn=[!1,!1,!1,!1];function yn(e,t){if(e._show=e.show,e.show){let n=e.side%2,i=b[e.scale];i??=(e.scale=n?v[1].scale:S,b[e.scale]);let a=i.time;e.size=G(e.size),e.space=G(e.space),e.rotate=G(e.rotate),An(e.incrs)&&e.incrs.forEach(e=>{!wn.has(e)&&wn.set(e,Tn(e))}),e.incrs=G(e.incrs||(i.distr==2?ur:a?_==1?Cr:Er:dr)),e.splits=G(e.splits||(a&&i.distr==1?M:i.distr==3?oi:i.distr==4?si:ai)),e.stroke=G(e.stroke),e.grid.stroke=G(e.grid.stroke),e.ticks.stroke=G(e.ticks.stroke),e.border.stroke=G(e.border.stroke);let o=e.values;e.values=An(o)&&!An(o[0])?G(o):a?An(o)?Ar(j,kr(o,te)):Nn(o)?jr(j,o):o||ne:o||ii,e.filter=G(e.filter||(i.distr>=3&&i.log==10?fi:i.distr==3&&i.log==2?pi:hn)),e.font=ya(e.font),e.labelFont=ya(e.labelFont),e._size=e.size(r,null,t,0),e._space=e._rotate=e._incrs=e._found=e._splits=e._values=null,e._size>0&&(mn[t]=!0,e._el=yt(Me,f))}}function bn(e,t,n,r){let[i,a,o,s]=n,c=t%2,l=0;return c==0&&(s||a)&&(l=t==0&&!i||t==2&&!o?Qt(ei.size/3):0),c==1&&(i||o)&&(l=t==1&&!a||t==3&&!s?Qt(hi.size/2):0),l}let Sn=r.padding=(e.padding||[bn,bn,bn,bn]).map(e=>G(W(e,bn))),Cn=r._padding=Sn.map((e,t)=>e(r,t,mn,0)),En,jn=null,In=null,Ln=i==1?v[0].idxs:null,Bn=null,Vn=!1;function Hn(e,n){if(t=e??[],r.data=r._data=t,i==2){En=0;for(let e=1;e<v.length;e++)En+=t[e][0].length}else{t.length==0&&(r.data=r._data=t=[[]]),Bn=t[0],En=Bn.length;let e=t;if(O==2){e=t.slice();let n=e[0]=Array(En);for(let e=0;e<En;e++)n[e]=e}r._data=t=e}if(q(!0),ka(`setData`),O==2&&(ht=!0),n!==!1){let e=D;e.auto(r,Vn)?Un():Oi(S,e.min,e.max),bt||=F.left>=0,wt=!0,zr()}}r.setData=Hn;function Un(){Vn=!0;let e,n;i==1&&(En>0?(jn=Ln[0]=0,In=Ln[1]=En-1,e=t[0][jn],n=t[0][In],O==2?(e=jn,n=In):e==n&&(O==3?[e,n]=Lt(e,e,D.log,!1):O==4?[e,n]=Rt(e,e,D.log,!1):D.time?n=e+Qt(86400/_):[e,n]=Ut(e,n,zt,!0))):(jn=Ln[0]=e=null,In=Ln[1]=n=null)),Oi(S,e,n)}let Wn,Kn,qn,Jn,Yn,Xn,Zn,Qn,$n,er;function tr(e,t,n,r,i,a){e??=Qe,n??=On,r??=`butt`,i??=Qe,a??=`round`,e!=Wn&&(d.strokeStyle=Wn=e),i!=Kn&&(d.fillStyle=Kn=i),t!=qn&&(d.lineWidth=qn=t),a!=Yn&&(d.lineJoin=Yn=a),r!=Xn&&(d.lineCap=Xn=r),n!=Jn&&d.setLineDash(Jn=n)}function nr(e,t,n,r){t!=Kn&&(d.fillStyle=Kn=t),e!=Zn&&(d.font=Zn=e),n!=Qn&&(d.textAlign=Qn=n),r!=$n&&(d.textBaseline=$n=r)}function ir(e,t,n,i,a=0){if(i.length>0&&e.auto(r,Vn)&&(t==null||t.min==null)){let t=W(jn,0),r=W(In,i.length-1),o=n.min==null?It(i,t,r,a,e.distr==3):[n.min,n.max];e.min=en(e.min,n.min=o[0]),e.max=tn(e.max,n.max=o[1])}}let ar={min:null,max:null};function or(){for(let e in b){let t=b[e];A[e]==null&&(t.min==null||A[S]!=null&&t.auto(r,Vn))&&(A[e]=ar)}for(let e in b){let t=b[e];A[e]==null&&t.from!=null&&A[t.from]!=null&&(A[e]=ar)}A[S]!=null&&q(!0);let e={};for(let t in A){let n=A[t];if(n!=null){let a=e[t]=Rn(b[t],Fn);if(n.min!=null)zn(a,n);else if(t!=S||i==2){if(En==0&&a.from==null){let e=a.range(r,null,null,t);a.min=e[0],a.max=e[1]}else a.min=ln,a.max=-1/0}}}if(En>0){v.forEach((n,a)=>{if(i==1){let i=n.scale,o=A[i];if(o==null)return;let s=e[i];if(a==0){let e=s.range(r,s.min,s.max,i);s.min=e[0],s.max=e[1],jn=At(s.min,t[0]),In=At(s.max,t[0]),In-jn>1&&(t[0][jn]<s.min&&jn++,t[0][In]>s.max&&In--),n.min=Bn[jn],n.max=Bn[In]}else n.show&&n.auto&&ir(s,o,n,t[a],n.sorted);n.idxs[0]=jn,n.idxs[1]=In}else if(a>0&&n.show&&n.auto){let[r,i]=n.facets,o=r.scale,s=i.scale,[c,l]=t[a],u=e[o],d=e[s];u!=null&&ir(u,A[o],r,c,r.sorted),d!=null&&ir(d,A[s],i,l,i.sorted),n.min=i.min,n.max=i.max}});for(let t in e){let n=e[t],i=A[t];if(n.from==null&&(i==null||i.min==null)){let e=n.range(r,n.min==ln?null:n.min,n.max==-1/0?null:n.max,t);n.min=e[0],n.max=e[1]}}}for(let t in e){let n=e[t];if(n.from!=null){let i=e[n.from];if(i.min==null)n.min=n.max=null;else{let e=n.range(r,i.min,i.max,t);n.min=e[0],n.max=e[1]}}}let n={},a=!1;for(let t in e){let r=e[t],i=b[t];if(i.min!=r.min||i.max!=r.max){i.min=r.min,i.max=r.max;let e=i.distr;i._min=e==3?an(i.min):e==4?cn(i.min,i.asinh):e==100?i.fwd(i.min):i.min,i._max=e==3?an(i.max):e==4?cn(i.max,i.asinh):e==100?i.fwd(i.max):i.max,n[t]=a=!0}}if(a){v.forEach((e,t)=>{i==2?t>0&&n.y&&(e._paths=null):n[e.scale]&&(e._paths=null)});for(let e in n)ht=!0,ka(`setScale`,e);ie&&F.left>=0&&(bt=wt=!0)}for(let e in A)A[e]=null}function sr(e){let t=dn(jn-1,0,En-1),n=dn(In+1,0,En-1);for(;e[t]==null&&t>0;)t--;for(;e[n]==null&&n<En-1;)n++;return[t,n]}function cr(){if(En>0){let e=v.some(e=>e._focus)&&er!=Ht.alpha;e&&(d.globalAlpha=er=Ht.alpha),v.forEach((e,n)=>{if(n>0&&e.show&&(lr(n,!1),lr(n,!0),e._paths==null)){let a=er;er!=e.alpha&&(d.globalAlpha=er=e.alpha);let o=i==2?[0,t[n][0].length-1]:sr(t[n]);e._paths=e.paths(r,n,o[0],o[1]),er!=a&&(d.globalAlpha=er=a)}}),v.forEach((e,t)=>{if(t>0&&e.show){let n=er;er!=e.alpha&&(d.globalAlpha=er=e.alpha),e._paths!=null&&fr(t,!1);{let n=e._paths==null?null:e._paths.gaps,i=e.points.show(r,t,jn,In,n),a=e.points.filter(r,t,i,n);(i||a)&&(e.points._paths=e.points.paths(r,t,jn,In,a),fr(t,!0))}er!=n&&(d.globalAlpha=er=n),ka(`drawSeries`,t)}}),e&&(d.globalAlpha=er=1)}}function lr(e,t){let n=t?v[e].points:v[e];n._stroke=n.stroke(r,e),n._fill=n.fill(r,e)}function fr(e,t){let n=t?v[e].points:v[e],{stroke:r,fill:i,clip:a,flags:o,_stroke:s=n._stroke,_fill:c=n._fill,_width:l=n.width}=n._paths;l=K(l*H,3);let u=null,f=l%2/2;t&&c==null&&(c=l>0?`#fff`:s);let p=n.pxAlign==1&&f>0;if(p&&d.translate(f,f),!t){let e=at-l/2,t=ot-l/2,n=st+l,r=ut+l;u=new Path2D,u.rect(e,t,n,r)}t?mr(s,l,n.dash,n.cap,c,r,i,o,a):pr(e,s,l,n.dash,n.cap,c,r,i,o,u,a),p&&d.translate(-f,-f)}function pr(e,n,i,a,o,s,c,l,u,d,f){let p=!1;u!=0&&x.forEach((m,h)=>{if(m.series[0]==e){let e=v[m.series[1]],g=t[m.series[1]],_=(e._paths||Dn).band;An(_)&&(_=m.dir==1?_[0]:_[1]);let y,b=null;e.show&&_&&Wt(g,jn,In)?(b=m.fill(r,h)||s,y=e._paths.clip):_=null,mr(n,i,a,o,b,c,l,u,d,f,y,_),p=!0}}),p||mr(n,i,a,o,s,c,l,u,d,f)}function mr(e,t,n,r,i,a,o,s,c,l,u,f){tr(e,t,n,r,i),(c||l||f)&&(d.save(),c&&d.clip(c),l&&d.clip(l)),f?(s&3)==3?(d.clip(f),u&&d.clip(u),gr(i,o),hr(e,a,t)):s&Di?(gr(i,o),d.clip(f),hr(e,a,t)):s&Ei&&(d.save(),d.clip(f),u&&d.clip(u),gr(i,o),d.restore(),hr(e,a,t)):(gr(i,o),hr(e,a,t)),(c||l||f)&&d.restore()}function hr(e,t,n){n>0&&(t instanceof Map?t.forEach((e,t)=>{d.strokeStyle=Wn=t,d.stroke(e)}):t!=null&&e&&d.stroke(t))}function gr(e,t){t instanceof Map?t.forEach((e,t)=>{d.fillStyle=Kn=t,d.fill(e)}):t!=null&&e&&d.fill(t)}function _r(e,t,n,i){let a=y[e],o;if(i<=0)o=[0,0];else{let s=a._space=a.space(r,e,t,n,i);o=va(t,n,a._incrs=a.incrs(r,e,t,n,i,s),i,s)}return a._found=o}function vr(e,t,n,r,i,a,o,s,c,l){let u=o%2/2;h==1&&d.translate(u,u),tr(s,o,c,l,s),d.beginPath();let f,p,m,g,_=i+(r==0||r==3?-a:a);n==0?(p=i,g=_):(f=i,m=_);for(let r=0;r<e.length;r++)t[r]!=null&&(n==0?f=m=e[r]:p=g=e[r],d.moveTo(f,p),d.lineTo(m,g));d.stroke(),h==1&&d.translate(-u,-u)}function yr(e){let t=!0;return y.forEach((n,i)=>{if(!n.show)return;let a=b[n.scale];if(a.min==null){n._show&&(t=!1,n._show=!1,q(!1));return}n._show||(t=!1,n._show=!0,q(!1));let o=n.side,s=o%2,{min:c,max:l}=a,[u,d]=_r(i,c,l,s==0?B:V);if(d==0)return;let f=a.distr==2,p=n._splits=n.splits(r,i,c,l,u,d,f),m=a.distr==2?p.map(e=>Bn[e]):p,h=a.distr==2?Bn[p[1]]-Bn[p[0]]:u,g=n._values=n.values(r,n.filter(r,m,i,d,h),i,d,h);n._rotate=o==2?n.rotate(r,g,i,d):0;let _=n._size;n._size=$t(n.size(r,g,i,e)),_!=null&&n._size!=_&&(t=!1)}),t}function br(e){let t=!0;return Sn.forEach((n,i)=>{let a=n(r,i,mn,e);a!=Cn[i]&&(t=!1),Cn[i]=a}),t}function xr(){for(let e=0;e<y.length;e++){let t=y[e];if(!t.show||!t._show)continue;let n=t.side,i=n%2,a,o,c=t.stroke(r,e),l=n==0||n==3?-1:1,[u,f]=t._found;if(t.label!=null){let s=t.labelGap*l,p=Qt((t._lpos+s)*H);nr(t.labelFont[0],c,`center`,n==2?qe:Je),d.save(),i==1?(a=o=0,d.translate(p,Qt(ot+ut/2)),d.rotate((n==3?-Yt:Yt)/2)):(a=Qt(at+st/2),o=p);let m=fn(t.label)?t.label(r,e,u,f):t.label;d.fillText(m,a,o),d.restore()}if(f==0)continue;let p=b[t.scale],m=i==0?st:ut,h=i==0?at:ot,_=t._splits,v=p.distr==2?_.map(e=>Bn[e]):_,x=p.distr==2?Bn[_[1]]-Bn[_[0]]:u,S=t.ticks,C=t.border,w=S.show?S.size:0,T=Qt(w*H),E=Qt((t.alignTo==2?t._size-w-t.gap:t.gap)*H),D=t._rotate*-Yt/180,O=g(t._pos*H),k=O+(T+E)*l;o=i==0?k:0,a=i==1?k:0;let ee=t.font[0];nr(ee,c,t.align==1?Ye:t.align==2?Xe:D>0?Ye:D<0?Xe:i==0?`center`:n==3?Xe:Ye,D||i==1?`middle`:n==2?qe:Je);let A=t.font[1]*t.lineGap,j=_.map(e=>g(s(e,p,m,h))),te=t._values;for(let e=0;e<te.length;e++){let t=te[e];if(t!=null){i==0?a=j[e]:o=j[e],t=``+t;let n=t.indexOf(`
`)==-1?[t]:t.split(/\n/gm);for(let e=0;e<n.length;e++){let t=n[e];D?(d.save(),d.translate(a,o+e*A),d.rotate(D),d.fillText(t,0,0),d.restore()):d.fillText(t,a,o+e*A)}}}S.show&&vr(j,S.filter(r,v,e,f,x),i,n,O,T,K(S.width*H,3),S.stroke(r,e),S.dash,S.cap);let M=t.grid;M.show&&vr(j,M.filter(r,v,e,f,x),i,i==0?2:1,i==0?ot:at,i==0?ut:st,K(M.width*H,3),M.stroke(r,e),M.dash,M.cap),C.show&&vr([O],[1],+(i==0),i==0?1:2,i==1?ot:at,i==1?ut:st,K(C.width*H,3),C.stroke(r,e),C.dash,C.cap)}ka(`drawAxes`)}function q(e){v.forEach((t,n)=>{n>0&&(t._paths=null,e&&(i==1?(t.min=null,t.max=null):t.facets.forEach(e=>{e.min=null,e.max=null})))})}let Sr=!1,Mr=!1,Ir=[];function Lr(){Mr=!1;for(let e=0;e<Ir.length;e++)ka(...Ir[e]);Ir.length=0}function zr(){Sr||=(Gn(Vr),!0)}function Br(e,t=!1){Sr=!0,Mr=t,e(r),Vr(),t&&Ir.length>0&&queueMicrotask(Lr)}r.batch=Br;function Vr(){if(pt&&=(or(),!1),ht&&=(jt(),!1),mt){if(U(p,Ye,be),U(p,qe,xe),U(p,Ge,B),U(p,Ke,V),U(m,Ye,be),U(m,qe,xe),U(m,Ge,B),U(m,Ke,V),U(f,Ge,ve),U(f,Ke,ye),u.width=Qt(ve*H),u.height=Qt(ye*H),y.forEach(({_el:e,_show:t,_size:n,_pos:r,side:i})=>{if(e!=null){if(t){let t=i===3||i===0?n:0,a=i%2==1;U(e,a?`left`:`top`,r-t),U(e,a?`width`:`height`,n),U(e,a?`top`:`left`,a?xe:be),U(e,a?`height`:`width`,a?V:B),_t(e,Ne)}else gt(e,Ne)}}),Wn=Kn=qn=Yn=Xn=Zn=Qn=$n=Jn=null,er=1,Qi(!0),be!=Se||xe!=Ce||B!=we||V!=Ze){q(!1);let e=B/we,t=V/Ze;if(ie&&!bt&&F.left>=0){F.left*=e,F.top*=t,Gr&&xt(Gr,Qt(F.left),0,B,V),Kr&&xt(Kr,0,Qt(F.top),B,V);for(let n=0;n<qt.length;n++){let r=qt[n];r!=null&&(Jt[n]*=e,Zt[n]*=t,xt(r,$t(Jt[n]),$t(Zt[n]),B,V))}}if(X.show&&!St&&X.left>=0&&X.width>0){X.left*=e,X.width*=e,X.top*=t,X.height*=t;for(let e in ta)U(_i,e,X[e])}Se=be,Ce=xe,we=B,Ze=V}ka(`setSize`),mt=!1}ve>0&&ye>0&&(d.clearRect(0,0,u.width,u.height),ka(`drawClear`),w.forEach(e=>e()),ka(`draw`)),X.show&&St&&(vi(X),St=!1),ie&&bt&&(Xi(null,!0,!1),bt=!1),P.show&&P.live&&wt&&(Ji(),wt=!1),c||(c=!0,r.status=1,ka(`ready`)),Vn=!1,Sr=!1}r.redraw=(e,t)=>{ht=t||!1,e===!1?zr():Oi(S,D.min,D.max)};function Hr(e,n){let i=b[e];if(i.from==null){if(En==0){let t=i.range(r,n.min,n.max,e);n.min=t[0],n.max=t[1]}if(n.min>n.max){let e=n.min;n.min=n.max,n.max=e}if(En>1&&n.min!=null&&n.max!=null&&n.max-n.min<1e-16)return;e==S&&i.distr==2&&En>0&&(n.min=At(n.min,t[0]),n.max=At(n.max,t[0]),n.min==n.max&&n.max++),A[e]=n,pt=!0,zr()}}r.setScale=Hr;let Ur,Wr,Gr,Kr,Jr,Yr,Xr,Zr,Qr,$r,J,Y,ci=!1,li=F.drag,ui=li.x,di=li.y;ie&&(F.x&&(Ur=yt(Fe,m)),F.y&&(Wr=yt(Ie,m)),D.ori==0?(Gr=Ur,Kr=Wr):(Gr=Wr,Kr=Ur),J=F.left,Y=F.top);let X=r.select=zn({show:!0,over:!0,left:0,width:0,top:0,height:0},e.select),_i=X.show?yt(Pe,X.over?m:p):null;function vi(e,t){if(X.show){for(let t in e)X[t]=e[t],t in ta&&U(_i,t,e[t]);t!==!1&&ka(`setSelect`)}}r.setSelect=vi;function wi(e){if(v[e].show)I&&_t(se[e],Ne);else if(I&&gt(se[e],Ne),ie){let t=Kt?qt[0]:qt[e];t!=null&&xt(t,-10,-10,B,V)}}function Oi(e,t,n){Hr(e,{min:t,max:n})}function ki(e,t,n,a){t.focus!=null&&Bi(e),t.show!=null&&v.forEach((n,r)=>{r>0&&(e==r||e==null)&&(n.show=t.show,wi(r),i==2?(Oi(n.facets[0].scale,null,null),Oi(n.facets[1].scale,null,null)):Oi(n.scale,null,null),zr())}),n!==!1&&ka(`setSeries`,e,t),a&&Pa(`setSeries`,r,e,t)}r.setSeries=ki;function ji(e,t){zn(x[e],t)}function Mi(e,t){e.fill=G(e.fill||null),e.dir=W(e.dir,-1),t??=x.length,x.splice(t,0,e)}function Ni(e){e==null?x.length=0:x.splice(e,1)}r.addBand=Mi,r.setBand=ji,r.delBand=Ni;function Pi(e,t){v[e].alpha=t,ie&&qt[e]!=null&&(qt[e].style.opacity=t),I&&se[e]&&(se[e].style.opacity=t)}let Ii,Li,Ri,zi={focus:!0};function Bi(e){if(e!=Ri){let t=e==null,n=Ht.alpha!=1;v.forEach((r,a)=>{if(i==1||a>0){let i=t||a==0||a==e;r._focus=t?null:i,n&&Pi(a,i?1:Ht.alpha)}}),Ri=e,n&&zr()}}I&&Gt&&ge(rt,R,e=>{F._lock||(Ft(e),Ri!=null&&ki(null,zi,!0,ja.setSeries))});function Vi(e,t,n){let r=b[t];n&&(e=e/H-(r.ori==1?xe:be));let i=B;r.ori==1&&(i=V,e=i-e),r.dir==-1&&(e=i-e);let a=r._min,o=r._max,s=e/i,c=a+(o-a)*s,l=r.distr;return l==3?nn(10,c):l==4?sn(c,r.asinh):l==100?r.bwd(c):c}function Hi(e,n){return At(Vi(e,S,n),t[0],jn,In)}r.valToIdx=e=>At(e,t[0]),r.posToIdx=Hi,r.posToVal=Vi,r.valToPos=(e,t,n)=>b[t].ori==0?a(e,b[t],n?st:B,n?at:0):o(e,b[t],n?ut:V,n?ot:0),r.setCursor=(e,t,n)=>{J=e.left,Y=e.top,Xi(null,t,n)};function Ui(e,t){U(_i,Ye,X.left=e),U(_i,Ge,X.width=t)}function Wi(e,t){U(_i,qe,X.top=e),U(_i,Ke,X.height=t)}let Gi=D.ori==0?Ui:Wi,Ki=D.ori==1?Ui:Wi;function qi(){if(I&&P.live)for(let e=+(i==2);e<v.length;e++){if(e==0&&le)continue;let t=P.values[e],n=0;for(let r in t)z[e][n++].firstChild.nodeValue=t[r]}}function Ji(e,t){if(e!=null&&(e.idxs?e.idxs.forEach((e,t)=>{N[t]=e}):Mn(e.idx)||N.fill(e.idx),P.idx=N[0]),I&&P.live){for(let e=0;e<v.length;e++)(e>0||i==1&&!le)&&Yi(e,N[e]);qi()}wt=!1,t!==!1&&ka(`setLegend`)}r.setLegend=Ji;function Yi(e,n){let i=v[e],a=e==0&&O==2?Bn:t[e],o;le?o=i.values(r,e,n)??ue:(o=i.value(r,n==null?null:a[n],e,n),o=o==null?ue:{_:o}),P.values[e]=o}function Xi(e,n,a){Qr=J,$r=Y,[J,Y]=F.move(r,J,Y),F.left=J,F.top=Y,ie&&(Gr&&xt(Gr,Qt(J),0,B,V),Kr&&xt(Kr,0,Qt(Y),B,V));let o,s=jn>In;Ii=ln,Li=null;let c=D.ori==0?B:V,l=D.ori==1?B:V;if(J<0||En==0||s){o=F.idx=null;for(let e=0;e<v.length;e++){let t=qt[e];t!=null&&xt(t,-10,-10,B,V)}Gt&&ki(null,zi,!0,e==null&&ja.setSeries),P.live&&(N.fill(o),wt=!0)}else{let e,n,a;i==1&&(e=D.ori==0?J:Y,n=Vi(e,S),o=F.idx=At(n,t[0],jn,In),a=k(t[0][o],D,c,0));let s=-10,u=-10,d=0,f=0,p=!0,m=``,h=``;for(let e=+(i==2);e<v.length;e++){let g=v[e],_=N[e],y=_==null?null:i==1?t[e][_]:t[e][1][_],x=F.dataIdx(r,e,o,n),S=x==null?null:i==1?t[e][x]:t[e][1][x];if(wt=wt||S!=y||x!=_,N[e]=x,e>0&&g.show){let n=x==null?-10:x==o?a:k(i==1?t[0][x]:t[e][0][x],D,c,0),_=S==null?-10:ee(S,i==1?b[g.scale]:b[g.facets[1].scale],l,0);if(Gt&&S!=null){let t=D.ori==1?J:Y,n=Xt(Ht.dist(r,e,x,_,t));if(n<Ii){let r=Ht.bias;if(r!=0){let i=Vi(t,g.scale),a=S>=0?1:-1,o=i>=0?1:-1;o==a&&(o==1?r==1?S>=i:S<=i:r==1?S<=i:S>=i)&&(Ii=n,Li=e)}else Ii=n,Li=e}}if(wt||Kt){let t,i;D.ori==0?(t=n,i=_):(t=_,i=n);let a,o,c,l,g,v,y=!0,b=Vt.bbox;if(b!=null){y=!1;let t=b(r,e);c=t.left,l=t.top,a=t.width,o=t.height}else c=t,l=i,a=o=Vt.size(r,e);if(v=Vt.fill(r,e),g=Vt.stroke(r,e),Kt)e==Li&&Ii<=Ht.prox&&(s=c,u=l,d=a,f=o,p=y,m=v,h=g);else{let t=qt[e];t!=null&&(Jt[e]=c,Zt[e]=l,Tt(t,a,o,y),Ct(t,v,g),xt(t,$t(c),$t(l),B,V))}}}}if(Kt){let e=Ht.prox;if(wt||(Ri==null?Ii<=e:Ii>e||Li!=Ri)){let e=qt[0];e!=null&&(Jt[0]=s,Zt[0]=u,Tt(e,d,f,p),Ct(e,m,h),xt(e,$t(s),$t(u),B,V))}}}if(X.show&&ci){if(e!=null){let[t,n]=ja.scales,[r,i]=ja.match,[a,o]=e.cursor.sync.scales,s=e.cursor.drag;if(ui=s._x,di=s._y,ui||di){let{left:s,top:u,width:d,height:f}=e.select,p=e.scales[a].ori,m=e.posToVal,h,g,_,v,y,x=t!=null&&r(t,a),S=n!=null&&i(n,o);x&&ui?(p==0?(h=s,g=d):(h=u,g=f),_=b[t],v=k(m(h,a),_,c,0),y=k(m(h+g,a),_,c,0),Gi(en(v,y),Xt(y-v))):Gi(0,c),S&&di?(p==1?(h=s,g=d):(h=u,g=f),_=b[n],v=ee(m(h,o),_,l,0),y=ee(m(h+g,o),_,l,0),Ki(en(v,y),Xt(y-v))):Ki(0,l)}else na()}else{let e=Xt(Qr-Jr),t=Xt($r-Yr);if(D.ori==1){let n=e;e=t,t=n}ui=li.x&&e>=li.dist,di=li.y&&t>=li.dist;let n=li.uni;n==null?li.x&&li.y&&(ui||di)&&(ui=di=!0):ui&&di&&(ui=e>=n,di=t>=n,!ui&&!di&&(t>e?di=!0:ui=!0));let r,i;ui&&(D.ori==0?(r=Xr,i=J):(r=Zr,i=Y),Gi(en(r,i),Xt(i-r)),di||Ki(0,l)),di&&(D.ori==1?(r=Xr,i=J):(r=Zr,i=Y),Ki(en(r,i),Xt(i-r)),ui||Gi(0,c)),!ui&&!di&&(Gi(0,0),Ki(0,0))}}if(li._x=ui,li._y=di,e==null){if(a){if(Ma!=null){let[e,t]=ja.scales;ja.values[0]=e==null?null:Vi(D.ori==0?J:Y,e),ja.values[1]=t==null?null:Vi(D.ori==1?J:Y,t)}Pa($e,r,J,Y,B,V,o)}if(Gt){let e=a&&ja.setSeries,t=Ht.prox;Ri==null?Ii<=t&&ki(Li,zi,!0,e):Ii>t?ki(null,zi,!0,e):Li!=Ri&&ki(Li,zi,!0,e)}}wt&&(P.idx=o,Ji()),n!==!1&&ka(`setCursor`)}let Zi=null;Object.defineProperty(r,"rect",{get(){return Zi??Qi(!1),Zi}});function Qi(e=!1){e?Zi=null:(Zi=m.getBoundingClientRect(),ka(`syncRect`,Zi))}function $i(e,t,n,r,i,a,o){F._lock||ci&&e!=null&&e.movementX==0&&e.movementY==0||(ea(e,t,n,r,i,a,o,!1,e!=null),e==null?Xi(t,!0,!1):Xi(null,!0,!0))}function ea(e,t,n,i,a,o,c,l,u){if(Zi??Qi(!1),Ft(e),e!=null)n=e.clientX-Zi.left,i=e.clientY-Zi.top;else{if(n<0||i<0){J=-10,Y=-10;return}let[e,r]=ja.scales,c=t.cursor.sync,[l,u]=c.values,[d,f]=c.scales,[p,m]=ja.match,h=t.axes[0].side%2==1,g=D.ori==0?B:V,_=D.ori==1?B:V,v=h?o:a,y=h?a:o,x=h?i:n,S=h?n:i;if(n=d==null?x/v*g:p(e,d)?s(l,b[e],g,0):-10,i=f==null?S/y*_:m(r,f)?s(u,b[r],_,0):-10,D.ori==1){let e=n;n=i,i=e}}u&&(t==null||t.cursor.event.type==$e)&&((n<=1||n>=B-1)&&(n=xn(n,B)),(i<=1||i>=V-1)&&(i=xn(i,V))),l?(Jr=n,Yr=i,[Xr,Zr]=F.move(r,n,i)):(J=n,Y=i)}let ta={width:0,height:0,left:0,top:0};function na(){vi(ta,!1)}let ra,aa,Z,xa;function Sa(e,t,n,i,a,o,s){ci=!0,ui=di=li._x=li._y=!1,ea(e,t,n,i,a,o,s,!0,!1),e!=null&&(ge(tt,dt,Ca,!1),Pa(et,r,Xr,Zr,B,V,null));let{left:c,top:l,width:u,height:d}=X;ra=c,aa=l,Z=u,xa=d}function Ca(e,t,n,i,a,o,s){ci=li._x=li._y=!1,ea(e,t,n,i,a,o,s,!1,!0);let{left:c,top:l,width:u,height:d}=X,f=u>0||d>0,p=ra!=c||aa!=l||Z!=u||xa!=d;if(f&&p&&vi(X),li.setScale&&f&&p){let e=c,t=u,n=l,r=d;if(D.ori==1&&(e=l,t=d,n=c,r=u),ui&&Oi(S,Vi(e,S),Vi(e+t,S)),di)for(let e in b){let t=b[e];e!=S&&t.from==null&&t.min!=ln&&Oi(e,Vi(n+r,e),Vi(n,e))}na()}else F.lock&&(F._lock=!F._lock,Xi(t,!0,e!=null));e!=null&&(_e(tt,dt),Pa(tt,r,J,Y,B,V,null))}function wa(e,t,n,r,i,a,o){if(F._lock)return;Ft(e);let s=ci;if(ci){let e=!0,t=!0,n,r;D.ori==0?(n=ui,r=di):(n=di,r=ui),n&&r&&(e=J<=10||J>=B-10,t=Y<=10||Y>=V-10),n&&e&&(J=J<Xr?0:B),r&&t&&(Y=Y<Zr?0:V),Xi(null,!0,!0),ci=!1}J=-10,Y=-10,N.fill(null),Xi(null,!0,!0),s&&(ci=s)}function Ta(e,t,n,i,a,o,s){F._lock||(Ft(e),Un(),na(),e!=null&&Pa(it,r,J,Y,B,V,null))}function Ea(){y.forEach(ba),Et(r.width,r.height,!0)}Ot(ct,ft,Ea);let Da={};Da.mousedown=Sa,Da.mousemove=$i,Da.mouseup=Ca,Da.dblclick=Ta,Da.setSeries=(e,t,n,i)=>{let a=ja.match[2];n=a(r,t,n),n!=-1&&ki(n,i,!0,!1)},ie&&(ge(et,m,Sa),ge($e,m,$i),ge(nt,m,e=>{Ft(e),Qi(!1)}),ge(rt,m,wa),ge(it,m,Ta),ia.add(r),r.syncRect=Qi);let Oa=r.hooks=e.hooks||{};function ka(e,t,n){Mr?Ir.push([e,t,n]):e in Oa&&Oa[e].forEach(e=>{e.call(null,r,t,n)})}(e.plugins||[]).forEach(e=>{for(let t in e.hooks)Oa[t]=(Oa[t]||[]).concat(e.hooks[t])});let Aa=(e,t,n)=>n,ja=zn({key:null,setSeries:!1,filters:{pub:_n,sub:_n},scales:[S,v[1]?v[1].scale:null],match:[vn,vn,Aa],values:[null,null]},F.sync);ja.match.length==2&&ja.match.push(Aa),F.sync=ja;let Ma=ja.key,Na=Ti(Ma);function Pa(e,t,n,r,i,a,o){ja.filters.pub(e,t,n,r,i,a,o)&&Na.pub(e,t,n,r,i,a,o)}Na.sub(r);function Fa(e,t,n,r,i,a,o){ja.filters.sub(e,t,n,r,i,a,o)&&Da[e](null,t,n,r,i,a,o)}r.pub=Fa;function Ia(){Na.unsub(r),ia.delete(r),he.clear(),kt(ct,ft,Ea),l.remove(),R?.remove(),ka(`destroy`)}r.destroy=Ia;function La(){ka(`init`,e,t),Hn(t||e.data,!1),A[S]?Hr(S,A[S]):Un(),St=X.show&&(X.width>0||X.height>0),bt=wt=!0,Et(e.width,e.height)}return v.forEach(on),y.forEach(yn),n?n instanceof HTMLElement?(n.appendChild(l),La()):n(r,La):La(),r}Z.assign=zn,Z.fmtNum=qt,Z.rangeNum=Ut,Z.rangeLog=Lt,Z.rangeAsinh=Rt,Z.orient=Oi,Z.pxRatio=H,Z.join=Wn,Z.fmtDate=rr,Z.tzDate=ar,Z.sync=Ti;{Z.addGap=Ni,Z.clipGaps=Mi;let e=Z.paths={points:qi};e.linear=Zi,e.stepped=Qi,e.bars=ea,e.spline=na}var xa={radial:`radial`,"along-track":`along-track`};async function Sa(e,t,n){let r;try{r=await y(`/api/v1/conjunctions/${n}/avoidance`)}catch(e){t.innerHTML=`<p class="muted">No trade space: ${j(e.message)}</p>`;return}await D(e,[r.marking]);let i=r.minimum.length?`<table id="avoidance-minimum"><thead><tr><th scope="col">Burn</th>
      <th scope="col" class="n">Δv (m/s)</th><th scope="col" class="n">Before TCA (orbits)</th><th scope="col">Burn at (UTC)</th>
      <th scope="col" class="n">Pc after</th><th scope="col" class="n">Miss after (m)</th></tr></thead><tbody>${r.minimum.map(e=>`<tr><td>${j(e.label)}</td><td class="n">${e.dv_m_s.toFixed(4)}</td><td class="n">${e.lead_orbits.toFixed(2)}</td>
      <td class="time">${j(e.burn_utc)}</td><td class="n">${e.pc===null?`-`:e.pc.toExponential(2)}</td>
      <td class="n">${e.miss_m.toFixed(0)}</td></tr>`).join(``)}</tbody></table>`:`<p>Pc is already under ${r.threshold.toExponential(0)}: no manoeuvre needed.</p>`;t.innerHTML=`
    <p>Without a burn: Pc ${r.pc0===null?`-`:r.pc0.toExponential(2)}, miss ${r.miss0_m.toFixed(0)} m.
      Threshold ${r.threshold.toExponential(0)}; hard-body radius ${r.hbr_m.toFixed(1)} m; the primary's period
      ${(r.period_s/60).toFixed(1)} min. Smallest burns that bring Pc under the threshold:</p>
    ${i}
    ${r.leads_left_out_orbits?.length?`<p class="muted" id="avoidance-earliest">No burn before
      ${j(M(r.earliest_burn_utc))} (the data time, or now while TCA is ahead): leads of
      ${r.leads_left_out_orbits.join(`, `)} orbits are left out.</p>`:``}
    <div class="plots">${r.directions.map((e,t)=>`<div><h3>${j(xa[e]||e)} burn: log10 Pc</h3>
      <canvas id="trade-${t}" width="560" height="300" role="img" aria-label="log10 Pc after a ${j(e)} burn, by burn
        size (m/s, horizontal) and burn time before TCA (orbits, vertical)"></canvas></div>`).join(``)}</div>
    <p class="muted">Colours: red where Pc stays at or above the threshold, blue where the burn brings it under; the
      paler, the nearer the threshold (full colour six decades away).
      Pc2D (Foster) with the CDM's covariances after an impulsive burn; two-body motion from the burn
      to TCA (kompas.space.avoidance). Screen the smallest burns against the catalogue:
      <button type="button" id="avoidance-job">Screen the secondary conjunctions (job)</button>
      <span id="avoidance-job-status" role="status" aria-live="polite"></span></p>
    <p class="mark">${j(r.marking.banner)}</p>`,r.directions.forEach((e,n)=>Ca(t.querySelector(`#trade-${n}`),r,n)),t.querySelector(`#avoidance-job`).addEventListener(`click`,async e=>{e.target.disabled=!0;let r=t.querySelector(`#avoidance-job-status`);try{r.textContent=`Queued: follow it on the Reports page or at ${(await y(`/api/v1/conjunctions/${n}/avoidance`,{method:`POST`,body:{}})).href}`}catch(t){r.textContent=`Refused: ${t.message}`,e.target.disabled=!1}})}function Ca(e,t,n){let r=e.getContext(`2d`),i=e.width-60-10,a=e.height-40-10,o=t.sizes_m_s,s=t.leads_orbits,c=t.pc[n],l=i/o.length,u=a/s.length,d=Math.log10(t.threshold);r.font=`11px sans-serif`;for(let e=0;e<s.length;e+=1)for(let t=0;t<o.length;t+=1){let n=c[e][t],i=n&&n>0?Math.log10(n):-12,a=Math.max(0,Math.min(1,Math.abs(i-d)/6)),o=Math.round(235-185*a);r.fillStyle=i>=d?`rgb(235, ${o}, ${o})`:`rgb(${o}, ${o}, 235)`,r.fillRect(60+t*l,10+(s.length-1-e)*u,Math.ceil(l),Math.ceil(u))}r.fillStyle=`#222`,r.textAlign=`center`;for(let t of[0,Math.floor(o.length/4),Math.floor(o.length/2),Math.floor(3*o.length/4),o.length-1])r.fillText(o[t].toPrecision(2),60+(t+.5)*l,e.height-40+14);r.fillText(`burn size (m/s; + outward / prograde)`,60+i/2,e.height-6),r.textAlign=`right`;for(let e=0;e<s.length;e+=Math.max(1,Math.floor(s.length/5)))r.fillText(s[e].toFixed(2),54,10+(s.length-1-e+.5)*u+4);r.save(),r.translate(14,10+a/2),r.rotate(-Math.PI/2),r.textAlign=`center`,r.fillText(`orbits before TCA`,0,0),r.restore()}var wa={pc2d:`Foster's 2D Pc`,nc3d:`Hall's 3D Nc`,mc:`two-body Monte Carlo`};async function Ta(e,t){let n=await y(`/api/v1/conjunctions/${t}`),r=n.primary_name===void 0?await Ce([n.primary_id,n.secondary_id]):{[n.primary_id]:n.primary_name,[n.secondary_id]:n.secondary_name},[i,a,o]=n.rtn_km,s=e=>e?`${j(M(e))} (${((Date.parse(n.tca_utc.slice(0,23)+`Z`)-Date.parse(e.slice(0,23)+`Z`))/864e5).toFixed(2)} d before TCA)`:`-`,c=e=>`<a href="#/object/${n[`${e}_id`]}">${j(r[n[`${e}_id`]]||`?`)} (${n[`${e}_id`]})</a>${n[`${e}_owner`]?` <span class="muted">${j(n[`${e}_owner`])}</span>`:``}`,l=await y(`/api/v1/conjunctions/${t}/series`).catch(e=>({error:e})),u=Math.min(60,Math.max(1,10*n.miss_km/Math.max(n.v_rel_km_s,.001))),d=await y(`/api/v1/conjunctions/${t}/series?half_window_s=${u.toPrecision(3)}&step_s=${(u/150).toPrecision(3)}`).catch(()=>null);await D(e,[n.marking,...l.markings||[],...d?.markings||[]]),e.innerHTML=`
    <h1>Conjunction ${j(r[n.primary_id]||n.primary_id)} – ${j(r[n.secondary_id]||n.secondary_id)}</h1>
    <div class="card">
      <dl class="evidence">
        <dt>TCA (UTC)</dt><dd><b>${j(M(n.tca_utc))}</b></dd>
        <dt>Miss distance</dt><dd><b>${n.miss_km.toFixed(3)} km</b> at a relative speed of ${n.v_rel_km_s.toFixed(3)} km/s
          ${n.label?`(${j(n.label)})`:``}</dd>
        <dt>Pc</dt><dd><b>${V(n)}</b>
          ${n.pc_interval?`(95% interval ${n.pc_interval[0].toExponential(1)} to ${n.pc_interval[1].toExponential(1)})`:``}
          <span class="muted">${n.pc===null?`not computed`:`(${j(wa[n.pc_basis||`pc2d`])}${n.pc_flags&&n.pc_flags.length?`; the 2D method's usage checks failed: ${j(n.pc_flags.join(`, `))}`:``})`}</span></dd>
        <dt>Primary</dt><dd>${c(`primary`)}</dd>
        <dt>Secondary</dt><dd>${c(`secondary`)}</dd>
        ${n.relation?`<dt>Relation</dt><dd>${j(n.relation===`formation`?`formation: the two fly together`:`same owner: their operator plans this approach`)}</dd>`:``}
        <dt>Element sets (epoch)</dt><dd>primary ${s(n.primary_epoch_utc)}; secondary ${s(n.secondary_epoch_utc)}</dd>
      </dl>
      <table aria-label="Geometry in the primary's RTN frame"><thead><tr><th>radial (km)</th><th>transverse (km)</th>
        <th>normal (km)</th></tr></thead><tbody><tr><td class="n">${i.toFixed(3)}</td><td class="n">${a.toFixed(3)}</td>
        <td class="n">${o.toFixed(3)}</td></tr></tbody></table>
      <p class="mark">${j(n.marking.banner)}</p>
    </div>
    <div class="plots">
      <div><h2>Relative distance, TCA ± 10 min</h2><div id="series" role="img" aria-label="Relative distance over time, UTC"></div></div>
      <div><h2>Around TCA, ± ${u.toPrecision(2)} s</h2><div id="zoom" role="img" aria-label="Relative distance in the seconds around TCA"></div></div>
    </div>
    <p class="mark">Plots: ${j([...new Set((l.markings||[]).map(e=>e.banner))].join(`; `)||`-`)}</p>
    <h2>Conjunction data messages</h2><div id="cdms"><p class="muted">Loading…</p></div>
    <section aria-labelledby="avoidance-title"><h2 id="avoidance-title">Manoeuvre trade space</h2>
      <div id="avoidance"><p class="muted">Loading…</p></div></section>`;let f=Date.parse(M(n.tca_utc));if(l.error)e.querySelector(`#series`).innerHTML=`<p class="muted">No distance series: ${j(l.error.message)}</p>`;else{let t=e.querySelector(`#series`);new Z({width:Math.max(320,t.clientWidth-10),height:260,tzDate:ie(Z),series:[{label:`UTC`,value:(e,t)=>t==null?`-`:M(t*1e3)},{label:`distance (km)`,stroke:`#003399`,width:1.5,value:(e,t)=>t==null?`-`:`${t.toFixed(3)} km`}],axes:[{label:`UTC`,values:F,size:60},{label:`distance (km)`,size:70,values:P}],hooks:{draw:[e=>Ea(e,[f/1e3])]}},[l.times_utc.map(e=>Date.parse(e)/1e3),l.distance_km],t)}if(d){let t=e.querySelector(`#zoom`);new Z({width:Math.max(320,t.clientWidth-10),height:260,scales:{x:{time:!1}},series:[{label:`t - TCA (s)`,value:(e,t)=>t==null?`-`:`${t.toFixed(3)} s`},{label:`distance (km)`,stroke:`#c8102e`,width:1.5,value:(e,t)=>t==null?`-`:`${t.toFixed(4)} km`}],axes:[{label:`t - TCA (s)`,values:P},{label:`distance (km)`,size:70,values:P}]},[d.times_utc.map(e=>(Date.parse(e)-f)/1e3),d.distance_km],t)}else e.querySelector(`#zoom`).innerHTML=`<p class='muted'>No series around TCA.</p>`;let p=Sa(e,e.querySelector(`#avoidance`),t),m=(await y(`/api/v1/cdms?norad_id=${n.primary_id}&limit=1000`)).items.filter(e=>[e.object1_id,e.object2_id].includes(n.secondary_id));await D(e,m.map(e=>e.marking));let h=n.has_cdm?`<li><button type="button" data-derived="${j(n.id)}">Download the CDM Kompas derived
    (KVN)</button> <span class="mark">${j(n.marking.banner)}</span></li>`:``;e.querySelector(`#cdms`).innerHTML=m.length||h?`<ul>${h}${m.map(e=>`<li><button
    type="button" data-cdm="${j(e.id)}">Download ${j(e.message_id)} (${j(e.format)}, Pc ${j(e.pc??`-`)})</button>
    <span class="mark">${j(e.marking.banner)}</span></li>`).join(``)}</ul>`:`<p class='muted'>No CDM you may see for this pair.</p>`,e.querySelector(`#cdms`).addEventListener(`click`,async e=>{let t=e.target.closest(`button[data-derived]`);if(t){let e=await y(`/api/v1/conjunctions/${t.dataset.derived}/cdm`,{raw:!0});Da(`${t.dataset.derived}.cdm`,await e.text(),`text/plain`);return}let n=e.target.closest(`button[data-cdm]`);if(!n)return;let r=await y(`/api/v1/cdms/${n.dataset.cdm}`);Da(`${r.message_id}.${r.format.endsWith(`xml`)?`xml`:`kvn`}`,r.content,`text/plain`)}),await p}function Ea(e,t){let{ctx:n}=e;n.save(),n.strokeStyle=`#d62728`;for(let r of t){let t=e.valToPos(r,`x`,!0);n.beginPath(),n.moveTo(t,e.bbox.top),n.lineTo(t,e.bbox.top+e.bbox.height),n.stroke()}n.restore()}function Da(e,t,n){let r=document.createElement(`a`);r.href=URL.createObjectURL(t instanceof Blob?t:new Blob([t],{type:n})),r.download=e,document.body.append(r),r.click(),r.remove()}var Oa=[[`_km_s`,`km/s`],[`_m_s`,`m/s`],[`_km`,`km`],[`_m`,`m`],[`_deg`,`deg`],[`_s`,`s`],[`_days`,`d`],[`_min`,`min`],[`_kg`,`kg`],[`_utc`,`UTC`],[`_pct`,`%`]];function ka(e){for(let[t,n]of Oa)if(e.endsWith(t)&&e.length>t.length)return[e.slice(0,-t.length).replace(/_/g,` `),n];return[e.replace(/_/g,` `),``]}function Aa(e,t,n){return e==null?`-`:typeof e==`number`?j(Number.isInteger(e)?String(e):Math.abs(e)!==0&&(Math.abs(e)<.001||Math.abs(e)>=1e6)?e.toExponential(3):String(Number(e.toPrecision(6)))):typeof e==`string`?j(t===`UTC`||/^\d{4}-\d{2}-\d{2}T/.test(e)?M(e):e):typeof e==`boolean`?e?`yes`:`no`:Array.isArray(e)?e.length>12&&e.every(e=>typeof e==`number`)?Ma(e,t):e.every(e=>typeof e!=`object`||!e)?e.map(e=>Aa(e,t,n+1)).join(`, `):`<ol>${e.slice(0,50).map(e=>`<li>${Aa(e,t,n+1)}</li>`).join(``)}</ol>${e.length>50?`<p class="muted">and ${e.length-50} more</p>`:``}`:typeof e==`object`?n>4?`…`:ja(e,n+1):j(String(e))}function ja(e,t=0){let n=Object.entries(e||{});return n.length?`<dl class="evidence">${n.map(([e,n])=>{let[r,i]=ka(e);return`<dt>${j(r)}${i&&i!==`UTC`?` (${j(i)})`:``}</dt><dd>${Aa(n,i,t)}</dd>`}).join(``)}</dl>`:`<p class='muted'>None recorded.</p>`}function Ma(e,t){let[n,r]=[Math.min(...e),Math.max(...e)],[i,a]=[160,28],o=e=>r===n?a/2:a-2-(a-4)*(e-n)/(r-n),s=e.map((t,n)=>`${(n*(i/(e.length-1))).toFixed(1)},${o(t).toFixed(1)}`).join(` `),c=e=>Aa(e,t,0);return`<svg class="spark" width="${i}" height="${a}" viewBox="0 0 ${i} ${a}" role="img" aria-label="${e.length}
    values from ${c(e[0])} to ${c(e[e.length-1])}"><polyline points="${s}" fill="none"
    stroke="#003399" stroke-width="1.5"/></svg> <span class="muted">${e.length} values: first ${c(e[0])},
    last ${c(e[e.length-1])}, range ${c(n)} to ${c(r)}${t&&t!==`UTC`?` ${j(t)}`:``}</span>`}var Na={manoeuvre:`#1f77b4`,proximity:`#d62728`,fragmentation:`#9467bd`,reentry:`#8c564b`,geo:`#2ca02c`,incident:`#e377c2`,surge:`#ff7f0e`},Pa=[`manoeuvre`,`proximity`,`fragmentation`,`reentry`,`geo`,`incident`,`surge`,`stress-test`,`anchor_drag`,`dark`,`drift`,`loitering`,`stop`,`encounter`,`identity`];async function Fa(e){e.innerHTML=`
    <h1>Events</h1>
    <form class="filters" id="event-filters" aria-label="Filter events">
      <label>Domain<select name="domain"><option value="">all</option><option>space</option><option>fimi</option><option>cyber</option><option>infra</option><option>maritime</option>
        </select></label>
      <label>Kind<select name="kind"><option value="">all</option>${Pa.map(e=>`<option>${e}</option>`).join(``)}
        </select></label>
      <label>Severity at least<select name="severity"><option value="">any</option><option>low</option>
        <option>medium</option><option>high</option></select></label>
      <label>Title words<input name="q" type="search" maxlength="100"></label>
      <label>NORAD id<input name="norad_id" type="number" min="1" step="1"></label>
      <label>From (UTC)<input name="since" type="text" data-utc inputmode="numeric" size="22"
        placeholder="2026-05-05T12:00:00Z" title="ISO 8601, UTC: a day, or a day and time"></label>
      <label>Until (UTC)<input name="until" type="text" data-utc inputmode="numeric" size="22"
        placeholder="2026-05-06" title="ISO 8601, UTC: a day, or a day and time"></label>
      <span id="event-count" class="muted" aria-live="polite"></span>
    </form>
    <div class="timeline" role="img" aria-label="The events of this page over time, by kind"><svg id="timeline"></svg>
    </div>
    <table id="events"><thead></thead><tbody></tbody></table>
    <section id="evidence" class="card" hidden aria-live="polite"></section>`;let t=[];await B({view:e,path:`/api/v1/events`,table:e.querySelector(`#events`),form:e.querySelector(`#event-filters`),status:e.querySelector(`#event-count`),defaultSort:`-time`,rowAttributes:e=>`class="link" tabindex="0" data-id="${j(e.id)}"`,columns:[{label:`Time (UTC)`,sort:[`time`,`-time`],descFirst:!0,cell:e=>`<span class="time">
        ${j(M(e.time_utc,0))}</span>`},{label:`Severity`,sort:[null,`-severity`],descFirst:!0,cell:e=>`<span class="sev-${j(e.severity)}">
        ${j(e.severity)}</span>`},{label:`Domain`,sort:null,cell:e=>j(e.domain)},{label:`Kind`,sort:null,cell:e=>j(e.kind)},{label:`Title`,sort:null,cell:e=>j(e.title)},{label:`Objects`,sort:null,cell:e=>e.norad_ids.map(e=>`<a href="#/object/${j(e)}">${j(e)}</a>`).join(`, `)},{label:`Marking`,sort:null,cell:e=>`<span class="mark">${j(e.marking.banner)}</span>`}],drawn:n=>{t=n,Ra(e.querySelector(`#timeline`),n)}});let n=e.querySelector(`#evidence`),r=async r=>{if(!r?.dataset.id)return;let i=t.find(e=>e.id===r.dataset.id)||await y(`/api/v1/events/${r.dataset.id}`);await D(e,[i.marking]),n.hidden=!1,n.innerHTML=Ia(i),n.scrollIntoView({block:`nearest`})},i=e.querySelector(`#events tbody`);i.addEventListener(`click`,e=>{e.target.closest(`a`)||r(e.target.closest(`tr`))}),i.addEventListener(`keydown`,e=>{e.key===`Enter`&&!e.target.closest(`a`)&&r(e.target.closest(`tr`))})}function Ia(e){return`<h2>${j(e.title)}</h2>
      <p class="mark">${j(e.marking.banner)}</p>
      <dl class="evidence"><dt>Kind</dt><dd>${j(e.domain)} / ${j(e.kind)}</dd>
        <dt>Severity</dt><dd class="sev-${j(e.severity)}">${j(e.severity)}${e.confidence===null?``:`, confidence ${(100*e.confidence).toFixed(0)}%`}</dd>
        <dt>When (UTC)</dt><dd>${j(M(e.start_utc,0))} to ${j(M(e.end_utc,0))}</dd>
        <dt>Objects</dt><dd>${e.norad_ids.map(e=>`<a href="#/object/${j(e)}">${j(e)}</a>`).join(`, `)||`-`}</dd>
        <dt>Source</dt><dd>${j(e.source)}</dd></dl>
      <h3>Evidence</h3>${ja(e.evidence)}
      ${Object.keys(e.detail||{}).length?`<h3>Detail</h3>${ja(e.detail)}`:``}`}async function La(e,t){let n=await y(`/api/v1/events/${t}`);await D(e,[n.marking]),e.innerHTML=`<p><a href="#/events">All events</a> · <a href="#/respond/${j(n.id)}">Response options</a></p>
    <section class="card" id="evidence">${Ia(n)}</section>`}function Ra(e,t){let n=e.clientWidth||900;if(!t.length){e.innerHTML=``;return}let r=[...new Set(t.map(e=>e.kind))].sort(),i=t.map(e=>Date.parse(e.time_utc)),a=864e5,[o,s]=[Math.min(...i),Math.max(...i)],[c,l]=s-o<a?[o-a/2,s+a/2]:[o,s],u=e=>20+(r.indexOf(e)+.5)*(120/r.length),d=e=>90+(n-110)*(e-c)/(l-c);e.setAttribute(`viewBox`,`0 0 ${n} 160`),e.innerHTML=r.map(e=>`<text x="4" y="${u(e)+4}" font-size="11">${j(e)}</text>`).join(``)+t.map((e,t)=>`<circle cx="${d(i[t]).toFixed(1)}" cy="${u(e.kind).toFixed(1)}" r="3"
      fill="${Na[e.kind]||`#555`}" fill-opacity="0.6"><title>${j(e.title)}</title></circle>`).join(``)+`<text x="90" y="156" font-size="11">${ne(c)}</text>
       <text x="${n-90}" y="156" font-size="11">${ne(l)}</text>`}var za=398600.8,Ba=6378.135;async function Va(e,t){let n=(await y(`/api/v1/objects/${t}/elements`)).slice().reverse();if(!n.length){e.innerHTML=`<h1>Object ${j(t)}</h1><p>No element set you may see for this object.</p>`;return}let r=n[n.length-1],i=r.omm,[a,o,s]=await Promise.all([y(`/api/v1/conjunctions?norad_id=${t}&limit=50`),y(`/api/v1/events?norad_id=${t}&limit=200`),Ce([Number(t)],!0)]),[c,l]=[a.items,o.items];await D(e,[...n.map(e=>e.marking),...c.map(e=>e.marking),...l.map(e=>e.marking),...s.markings]);let u=(e,t,n,r)=>e.total>t?`<p class="muted">${N(t)} of
    ${N(e.total)} ${n}: <a href="${r}">all of them</a>.</p>`:``,d=Math.cbrt(za/(Number(i.MEAN_MOTION)*2*Math.PI/86400)**2),f=Number(i.ECCENTRICITY),[p,m]=[d*(1+f)-Ba,d*(1-f)-Ba],h=1440/Number(i.MEAN_MOTION),g=m>3e4&&h>1300&&h<1580?`GEO`:p<2e3?`LEO`:m>2e3&&p<35e3?`MEO`:`HEO/other`;e.innerHTML=`
    <h1>${j(r.name)} <span class="muted">(NORAD ${j(t)})</span></h1>
    <div class="card"><table aria-label="Identity and newest elements"><tbody>
      <tr><th scope="row">International designator</th><td>${j(i.OBJECT_ID??`-`)}</td></tr>
      <tr><th scope="row">Owner</th><td>${j(s.owners[t]??`not known to Kompas`)}</td></tr>
      <tr><th scope="row">Orbit</th><td>${g}: perigee ${m.toFixed(0)} km, apogee ${p.toFixed(0)} km,
        period ${h.toFixed(1)} min</td></tr>
      <tr><th scope="row">Newest epoch (UTC)</th><td>${j(M(r.epoch_utc))} <span class="muted">(element set
        ${((Date.now()-Date.parse(M(r.epoch_utc)))/864e5).toFixed(1)} days old${r.source?`; source ${j(r.source)}`:``})</span></td></tr>
      <tr><th scope="row">Element sets you may see</th><td>${n.length}</td></tr>
      <tr><th scope="row">Inclination, eccentricity</th><td>${Number(i.INCLINATION).toFixed(3)} deg,
        ${Number(i.ECCENTRICITY).toFixed(6)}</td></tr>
      <tr><th scope="row">Mean motion</th><td>${Number(i.MEAN_MOTION).toFixed(8)} rev/day</td></tr>
    </tbody></table></div>
    <h2>Element-set history</h2>
    <p class="muted">Mean elements of each element set (SGP4), epochs in UTC. Red lines: manoeuvres detected by Kompas.</p>
    <div class="plots"><div id="plot-a" role="img" aria-label="Semi-major axis over time"></div>
      <div id="plot-i" role="img" aria-label="Inclination over time"></div>
      <div id="plot-e" role="img" aria-label="Eccentricity over time"></div></div>
    <h2>Conjunctions <span class="muted">(highest Pc first)</span></h2>${c.length?`<table id="object-conjunctions">
      <thead><tr><th scope="col">TCA (UTC)</th><th scope="col">With</th><th scope="col" class="n">Miss (km)</th>
      <th scope="col" class="n">Pc</th><th scope="col">Marking</th></tr></thead><tbody>${c.map(e=>{let n=e.primary_id==t?e.secondary_id:e.primary_id,r=e.primary_id==t?e.secondary_name:e.primary_name;return`<tr><td><a href="#/conjunction/${j(e.id)}">${j(M(e.tca_utc))}</a></td><td><a href="#/object/${j(n)}">
        ${j(r||`?`)}</a> <span class="muted">${j(n)}</span></td><td class="n">${e.miss_km.toFixed(3)}</td>
        <td class="n">${V(e)}</td><td class="mark">${j(e.marking.banner)}</td></tr>`}).join(``)}</tbody></table>${u(a,c.length,`conjunctions`,`#/conjunctions?object=${t}`)}`:`<p class='muted'>None you may see.</p>`}
    <h2>Events <span class="muted">(newest first)</span></h2>${l.length?`<ul>${l.map(e=>`<li>
      <span class="time">${j(M(e.time_utc,0))}</span> ${j(e.kind)} <span class="sev-${j(e.severity)}">${j(e.severity)}</span>:
      ${j(e.title)} <span class="mark">${j(e.marking.banner)}</span></li>`).join(``)}</ul>${u(o,l.length,`events`,`#/events?norad_id=${t}`)}`:`<p class='muted'>None you may see.</p>`}`;let _=n.map(e=>Date.parse(e.epoch_utc)/1e3),v=n.map(e=>Math.cbrt(za/(Number(e.omm.MEAN_MOTION)*2*Math.PI/86400)**2)),b=l.filter(e=>e.kind===`manoeuvre`).map(e=>Date.parse(e.time_utc)/1e3);if(n.length<2)e.querySelector(`.plots`).innerHTML=`<p class='muted'>One element set you may see: no history to plot.</p>`;else for(let[t,r,i,a]of[[`plot-a`,`semi-major axis (km)`,v,e=>e.toFixed(3)],[`plot-i`,`inclination (deg)`,n.map(e=>Number(e.omm.INCLINATION)),e=>e.toFixed(4)],[`plot-e`,`eccentricity`,n.map(e=>Number(e.omm.ECCENTRICITY)),e=>e.toExponential(3)]]){let n=e.querySelector(`#${t}`);new Z({width:Math.max(300,n.clientWidth-10),height:220,title:r,tzDate:ie(Z),axes:[{label:`epoch (UTC)`,values:F,size:60},{size:90,values:P}],series:[{label:`epoch (UTC)`,value:(e,t)=>t==null?`-`:M(t*1e3,0)},{label:r,stroke:`#003399`,points:{show:!0,size:5},value:(e,t)=>t==null?`-`:a(t)}],hooks:{draw:[e=>Ea(e,b)]}},[_,i],n)}}async function Ha(e){e.innerHTML=`
    <h1>Objects</h1>
    <form class="filters" id="object-filters" aria-label="Search objects">
      <label>NORAD id or name<input name="q" type="search" maxlength="100"></label>
      <span id="object-count" class="muted" aria-live="polite"></span>
    </form>
    <p class="muted">Element-set age: days between the object's newest element set and the newest in the catalogue
      you may see; stale element sets (weeks) give conjunctions of little value.</p>
    <table id="objects"><thead></thead><tbody></tbody></table>`,await B({view:e,path:`/api/v1/objects`,table:e.querySelector(`#objects`),form:e.querySelector(`#object-filters`),status:e.querySelector(`#object-count`),defaultSort:`norad_id`,rowAttributes:e=>`class="link" tabindex="0" data-id="${j(e.norad_id)}"`,columns:[{label:`NORAD id`,sort:[`norad_id`,`-norad_id`],numeric:!0,cell:e=>j(e.norad_id)},{label:`Name`,sort:[`name`,null],cell:e=>`<a href="#/object/${j(e.norad_id)}">${j(e.name)}</a>`},{label:`Newest epoch (UTC)`,sort:[`epoch`,`-epoch`],descFirst:!0,cell:e=>`<span class="time">
        ${j(M(e.newest_epoch_utc))}</span>`},{label:`Element-set age (d)`,sort:null,numeric:!0,cell:e=>e.age_days===null||e.age_days===void 0?`-`:e.age_days.toFixed(2)},{label:`Element sets`,sort:null,numeric:!0,cell:e=>j(e.element_sets)},{label:`Marking`,sort:null,cell:e=>`<span class="mark">${j(e.marking.banner)}</span>`}]});let t=e.querySelector(`#objects tbody`),n=e=>{e?.dataset.id&&(location.hash=`#/object/${e.dataset.id}`)};t.addEventListener(`click`,e=>{e.target.closest(`a`)||n(e.target.closest(`tr`))}),t.addEventListener(`keydown`,e=>{e.key===`Enter`&&n(e.target.closest(`tr`))})}var Ua=`kompas-report-jobs`,Wa=`pattern="\\d{4}-\\d{2}-\\d{2}" inputmode="numeric" placeholder="YYYY-MM-DD" maxlength="10" size="11" required`,Ga={queued:`Queued`,running:`Running`,done:`Ready`,failed:`Failed`},Ka={"threat-form":{path:`/api/v1/reports/threat-landscape`,title:`Space threat landscape`,asked:e=>`${e.from} to ${e.to}, ${e.format.toUpperCase()}`},"progress-form":{path:`/api/v1/reports/commitments`,title:`Commitments progress`,asked:e=>`as of ${e.as_of}, ${e.format.toUpperCase()}`},"fimi-form":{path:`/api/v1/reports/fimi`,title:`FIMI threat report`,asked:e=>`${e.since} to ${e.until} (excluded), ${e.format.toUpperCase()}`},"cyber-form":{path:`/api/v1/reports/cyber`,title:`Cyber threat report`,asked:e=>`${e.since} to ${e.until} (included), ${e.format.toUpperCase()}`},"observatory-form":{path:`/api/v1/reports/observatory`,title:`Critical technologies (Observatory)`,asked:e=>`${e.year?`shares of ${e.year}`:`latest shares`}, ${e.format.toUpperCase()}`}},qa=e=>`<label>Format<select name="format" aria-label="Format">${(e===`html`?[`html`,`pdf`]:[`pdf`,`html`]).map(e=>`<option value="${e}">${e.toUpperCase()}</option>`).join(``)}</select></label>`;function Ja(e,t,n,r,i=``){let a=e.replace(`-form`,`-title`);return`<form class="card" id="${e}" aria-labelledby="${a}">
      <h2 id="${a}">${j(t)}</h2>${i?`<p class="muted">${j(i)}</p>`:``}
      <div class="filters">${r}
        ${qa(n)}
        <button type="submit">Generate</button>
      </div>
    </form>`}function Ya(e){return new Date(Date.now()-e*864e5).toISOString().slice(0,10)}async function Xa(e){let t=Ya(0);e.innerHTML=`
    <h1>Reports</h1>
    <p class="muted">Each report holds only what you may see, and carries the combined marking of its contents. Reports
      run as jobs on the server: ask for several at once, and download each when it is ready. Days are UTC
      (YYYY-MM-DD).</p>
    <div class="report-forms">
    ${Ja(`threat-form`,`Space threat landscape`,`pdf`,`
        <label>From (UTC day)<input name="from" ${Wa} value="${t.slice(0,4)}-01-01"></label>
        <label>To (UTC day, included)<input name="to" ${Wa} value="${t}"></label>`)}
    ${Ja(`progress-form`,`Commitments progress`,`pdf`,`
        <label>As of (UTC day)<input name="as_of" ${Wa} value="2025-12-31"></label>`)}
    ${Ja(`fimi-form`,`FIMI threat report`,`html`,`
        <label>From (UTC day)<input name="since" ${Wa} value="${Ya(365)}"></label>
        <label>Until (UTC day, excluded)<input name="until" ${Wa} value="${Ya(-1)}"></label>`)}
    ${Ja(`cyber-form`,`Cyber threat report`,`html`,`
        <label>From (UTC day)<input name="since" ${Wa} value="${Ya(90)}"></label>
        <label>To (UTC day, included)<input name="until" ${Wa} value="${t}"></label>`,`Shared incidents by sector, member state, RSIT class and week, NIS2 clocks, surges, indicators, exposure to known exploited vulnerabilities and the EU cyber sanctions, from what you may see.`)}
    ${Ja(`observatory-form`,`Critical technologies and strategic dependencies (Observatory)`,`pdf`,`
        <label>Shares of the year (empty: the latest)<input name="year" type="number" min="1900" max="2100" step="1"
          class="year"></label>`,`Over the supply data Kompas holds and the supply-chain documents you may see.`)}
    </div>
    <section aria-labelledby="jobs-title">
      <h2 id="jobs-title">Your report jobs</h2>
      <p class="muted">Finished reports stay on the server for a week by default; this tab follows the jobs it asked for.</p>
      <table id="jobs"><thead><tr><th scope="col">Report</th><th scope="col">Asked for</th>
        <th scope="col">Asked at (UTC)</th><th scope="col">Status</th><th scope="col">File and marking</th></tr></thead>
        <tbody></tbody></table>
      <p id="no-jobs" class="muted">No report asked for yet in this tab.</p>
    </section>
    <p id="report-status" role="status" aria-live="polite" class="muted"></p>`;let n=e.querySelector(`#report-status`),r=e.querySelector(`#jobs tbody`),i=(t,i)=>{e.querySelector(`#no-jobs`).hidden=!0;let a=document.createElement(`tr`);a.innerHTML=`<td>${j(t.title)}</td><td>${j(t.asked)}</td><td class="time">-</td>
      <td class="job-status">Submitting…</td><td class="job-file"></td>`,r.prepend(a),to(e,a,t,i,n)};for(let[t,n]of Object.entries(Ka))e.querySelector(`#${t}`).addEventListener(`submit`,async e=>{e.preventDefault();let t=Object.fromEntries(new FormData(e.target));t.year===``?delete t.year:t.year!==void 0&&(t.year=Number(t.year));let r={title:n.title,asked:n.asked(t)},a;try{a=y(n.path,{method:`POST`,body:t}),i(r,a),a=await a}catch{return}Qa({...r,href:a.href})});let a=Za();for(let e of a.slice().reverse())i(e,Promise.resolve({href:e.href}))}function Za(){try{return JSON.parse(sessionStorage.getItem(Ua)||`[]`)}catch{return[]}}function Qa(e){let t=Za().filter(t=>t.href!==e.href);sessionStorage.setItem(Ua,JSON.stringify([...t,e].slice(-20)))}function $a(e){sessionStorage.setItem(Ua,JSON.stringify(Za().filter(t=>t.href!==e)))}var eo=e=>new Promise(t=>setTimeout(t,e));async function to(e,t,n,r,i){let a=t.querySelector(`.job-status`),o=t.querySelector(`.job-file`),s;try{s=await r}catch(e){a.innerHTML=`<span class="error">Refused: ${j(e.message)}</span>`;return}for(let r=300;e.isConnected;r=Math.min(r*1.5,3e3)){try{s=await y(s.href)}catch(e){if(/^404/.test(e.message)){$a(s.href),t.remove();return}a.textContent=`Could not follow the job (${e.message}); trying again`,await eo(r);continue}if(t.querySelector(`.time`).textContent=M(s.created_utc,0),s.status===`failed`){a.innerHTML=`<span class="error">Failed: ${j(s.error||`no reason given`)}</span>`,i.textContent=`${n.title}: failed`;return}if(s.status===`done`){await D(e,[s.marking]),a.textContent=Ga.done,o.innerHTML=`<button type="button">Download ${j(s.filename)}</button>
        <span class="mark">${j(s.marking.banner)}</span>${s.size?` <span class="muted">${j(ro(s.size))}</span>`:``}`,o.querySelector(`button`).addEventListener(`click`,()=>no(s,o,i)),i.textContent=`${n.title} is ready: ${s.filename} (${s.marking.banner})`;return}let c=s.started_utc?` for ${Math.max(0,Math.round((Date.now()-Date.parse(M(s.started_utc)))/1e3))} s`:``;a.textContent=s.status===`running`?`Running${c}…`:`${Ga.queued}…`,await eo(r)}}async function no(e,t,n){let r=t.querySelector(`button`);r.disabled=!0;try{let t=await y(e.file,{raw:!0});Da(e.filename,await t.blob(),t.headers.get(`content-type`)),n.textContent=`Downloaded ${e.filename} (${e.marking.banner})`}catch(t){n.textContent=`Could not download ${e.filename}: ${t.message}`}finally{r.disabled=!1}}function ro(e){return e>=1e6?`${(e/1e6).toFixed(1)} MB`:`${Math.max(1,Math.round(e/1e3))} kB`}var io=[`official-state-channel`,`state-controlled-outlet`,`state-linked`,`state-aligned`,`unattributed`],ao={prevention:`Prevention`,resilience:`Resilience`,disruption:`Disruption`,regulatory:`Regulatory`,diplomatic:`Diplomatic`},oo=/^\d{4}-\d{2}-\d{2}$/,so=/^T\d{4}(\.\d{3})?$/,co={target:e=>e.targets.map(e=>e.name),language:e=>e.languages,outlet:e=>e.channels.map(e=>e.name),technique:e=>e.techniques,narrative:e=>e.narratives},lo=`style="background:none;border:none;padding:0;font:inherit;color:var(--accent);text-decoration:underline;
  cursor:pointer;text-align:left"`,uo=e=>`<span class="mark">${j(e?.banner)}</span>`,fo=(e,t=3)=>j(e.slice(0,t).join(`, `))+(e.length>t?` <span class="muted">+${e.length-t}</span>`:``);function po(e,t=e){return/^https?:\/\//i.test(e||``)?`<a href="${j(e)}" rel="noopener noreferrer" target="_blank">${j(t)}</a>`:j(t)}function mo(e){try{return new URL(e).host||e}catch{return e}}async function ho(e){e.innerHTML=`
    <h1>FIMI: foreign information manipulation and interference</h1>
    <p class="muted">Incidents, narratives and coordinated surges that you may see, each with its own marking. Dates
      are UTC days (ISO 8601).</p>
    <p class="muted" id="fimi-sources">Sources: incidents imported from the EUvsDisinfo database, EEAS East StratCom
      Task Force (cited as its terms of reuse ask; not for commercial reuse); techniques and countermeasures from the
      DISARM framework (DISARM Foundation, CC BY-SA 4.0); incidents contributed by platform members under their own
      markings.</p>
    <section aria-labelledby="incidents-title">
      <h2 id="incidents-title">Incidents</h2>
      <form class="filters" id="incident-filters" aria-label="Filter incidents">
        <label>First seen from (UTC day)<input name="since" inputmode="numeric" pattern="\\d{4}-\\d{2}-\\d{2}"
          placeholder="YYYY-MM-DD" maxlength="10" size="11"></label>
        <label>First seen before (UTC day)<input name="until" inputmode="numeric" pattern="\\d{4}-\\d{2}-\\d{2}"
          placeholder="YYYY-MM-DD" maxlength="10" size="11"></label>
        <label>Target<input name="target" list="fimi-target" maxlength="300" size="14"></label>
        <label>Language<input name="language" list="fimi-language" maxlength="300" size="12"></label>
        <label>Outlet<input name="outlet" list="fimi-outlet" maxlength="300" size="16"></label>
        <label>DISARM technique<input name="technique" list="fimi-technique" pattern="T\\d{4}(\\.\\d{3})?"
          placeholder="T0022" maxlength="9" size="9"></label>
        <label>Narrative<input name="narrative" list="fimi-narrative" maxlength="300" size="16"></label>
        <label>Attribution<select name="attribution" aria-label="Attribution"><option value="">any</option>${io.map(e=>`<option>${j(e)}</option>`).join(``)}</select></label>
        <label>Title words<input name="q" type="search" maxlength="200" size="16"></label>
        <button type="submit">Apply</button><button type="reset">Clear</button>
        <span id="incident-count" class="muted" aria-live="polite"></span>
        ${Object.keys(co).map(e=>`<datalist id="fimi-${e}"></datalist>`).join(``)}
      </form>
      <p class="muted">Target, language, outlet, technique and narrative match a whole value (any case); the title
        matches words anywhere.</p>
      <table id="incidents"><thead></thead><tbody></tbody></table>
      <section id="incident-detail" class="card" hidden aria-live="polite" tabindex="-1"></section>
    </section>
    <section aria-labelledby="narratives-title">
      <h2 id="narratives-title">Narratives</h2>
      <p id="narratives-note" class="muted"></p>
      <table id="narratives"><thead><tr><th scope="col">Narrative (top terms)</th><th scope="col" class="n">Incidents
        </th><th scope="col">First seen</th><th scope="col">Last seen</th><th scope="col">Outlets</th>
        <th scope="col">Languages</th><th scope="col">Marking</th></tr></thead><tbody></tbody></table>
      <section id="narrative-detail" class="card" hidden aria-live="polite" tabindex="-1"></section>
    </section>
    <section aria-labelledby="surges-title">
      <h2 id="surges-title">Surges</h2>
      <p id="surges-note" class="muted"></p>
      <table id="surges"><thead><tr><th scope="col">Window (UTC days, end excluded)</th><th scope="col">Narrative</th>
        <th scope="col" class="n">Cases</th><th scope="col" class="n">Expected per window</th>
        <th scope="col" class="n">Score (−log₁₀ p)</th><th scope="col">Targets</th><th scope="col">Outlets</th>
        <th scope="col">Marking</th></tr></thead><tbody></tbody></table>
      <section id="surge-detail" class="card" hidden aria-live="polite" tabindex="-1"></section>
    </section>`;let t=e.querySelector(`#incident-filters`),n=Object.fromEntries(Object.keys(co).map(e=>[e,new Set])),r=Promise.all([x(`/api/v1/fimi/clusters`,1e3),x(`/api/v1/fimi/surges`,1e3)]);r.catch(()=>{}),await B({view:e,path:`/api/v1/fimi/incidents`,table:e.querySelector(`#incidents`),form:t,status:e.querySelector(`#incident-count`),defaultSort:`-first_seen`,limit:50,rowAttributes:e=>`class="link" tabindex="0" data-id="${j(e.id)}"`,adjust:e=>{for(let t of[`since`,`until`])e.has(t)&&!oo.test(e.get(t))&&e.delete(t);e.has(`technique`)&&!so.test(e.get(`technique`).toUpperCase())?e.delete(`technique`):e.has(`technique`)&&e.set(`technique`,e.get(`technique`).toUpperCase())},columns:[{label:`First seen (UTC)`,sort:[`first_seen`,`-first_seen`],descFirst:!0,cell:e=>`<span class="time">${j(ne(e.first_seen))}</span>`},{label:`Title`,sort:null,cell:e=>j(e.title)},{label:`Targets`,sort:null,cell:e=>fo(e.targets.map(e=>e.name))},{label:`Languages`,sort:null,cell:e=>fo(e.languages)},{label:`Outlets`,sort:null,cell:e=>fo(e.channels.map(e=>e.name),2)},{label:`Techniques`,sort:null,cell:e=>fo(e.techniques)},{label:`Attribution`,sort:null,cell:e=>j(e.attribution)},{label:`Marking`,sort:null,cell:e=>uo(e.marking)}],drawn:t=>{for(let[r,i]of Object.entries(co)){let a=n[r],o=a.size;for(let e of t)for(let t of i(e))a.size<500&&a.add(t);a.size!==o&&(e.querySelector(`#fimi-${r}`).innerHTML=[...a].sort().map(e=>`<option value="${j(e)}">`).join(``))}}}),t.addEventListener(`reset`,()=>setTimeout(()=>t.requestSubmit()));let i=e.querySelector(`#incident-detail`),a=0,o=async t=>{let n=++a;i.hidden=!1,i.innerHTML=`<p class="muted">Loading the incident…</p>`;try{let[r,o]=await Promise.all([y(`/api/v1/fimi/incidents/${encodeURIComponent(t)}`),y(`/api/v1/fimi/incidents/${encodeURIComponent(t)}/response`)]);if(n!==a||(await D(e,[r.marking,o.marking]),n!==a))return;i.innerHTML=_o(r,o)}catch(e){if(n!==a)return;i.innerHTML=`<p class="error" role="alert">Could not open the incident: ${j(e.message)}</p>`}i.focus({preventScroll:!0}),i.scrollIntoView({block:`nearest`})};go(e.querySelector(`#incidents tbody`),e=>o(e.dataset.id)),e.addEventListener(`click`,e=>{let t=e.target.closest(`button[data-incident]`);t&&o(t.dataset.incident)});let[s,c]=await r;await D(e,[...s,...c].map(e=>e.marking)),yo(e,s),bo(e,c)}function go(e,t){e.addEventListener(`click`,e=>{if(e.target.closest(`a, button`))return;let n=e.target.closest(`tr[data-id]`);n&&t(n)}),e.addEventListener(`keydown`,e=>{if(e.key!==`Enter`||e.target.closest(`a, button`))return;let n=e.target.closest(`tr[data-id]`);n&&(e.preventDefault(),t(n))})}function _o(e,t){let n=[[`Reference`,po(e.ref)],[`Source`,j(e.source)],[`First seen (UTC)`,j(ne(e.first_seen))],[`Last seen (UTC)`,j(e.last_seen?ne(e.last_seen):`-`)],[`Confidence`,j(e.confidence)],[`Attribution`,j(e.attribution)],[`Actors`,e.actors.map(e=>`${j(e.name)} <span class="muted">(${j(e.category)}${e.state?`, ${j(e.state)}`:``})</span>`).join(`; `)||`-`],[`Outlets and channels`,e.channels.map(e=>`${e.url?po(e.url,e.name):j(e.name)} <span class="muted">
      (${j(e.kind)}, ${j(e.category)})</span>`).join(`; `)||`-`],[`Languages`,j(e.languages.join(`, `))||`-`],[`Targets`,e.targets.map(e=>`${j(e.name)} <span class="muted">(${j(e.kind)})</span>`).join(`; `)||`-`],[`Narratives`,j(e.narratives.join(`; `))||`-`],[`DISARM techniques`,j(e.techniques.join(`, `))||`none recorded`],[`Stored (UTC)`,j(M(e.created_utc))]],r=e.evidence.length?`<ul>${e.evidence.map(e=>`<li>${po(e.url)}${e.archive_url?` (${po(e.archive_url,`archived copy`)})`:``}${e.date?` <span class="muted">${j(e.date)}</span>`:``}
    </li>`).join(``)}</ul>`:`<p class='muted'>None recorded.</p>`,i=e.merges.length?`<table class="merges"><thead><tr><th scope="col">Merged (UTC)</th>
    <th scope="col">Reference</th><th scope="col">Source</th><th scope="col">Why the same case</th>
    <th scope="col">By</th></tr></thead><tbody>${e.merges.map(e=>`<tr><td class="time">${j(M(e.time_utc))}</td>
    <td>${po(e.ref)}</td><td>${j(e.source)}</td><td>${j(e.reason)}</td><td>${j(e.by)}</td></tr>`).join(``)}
    </tbody></table>`:`<p class='muted'>No later copy of this case has been merged into it.</p>`;return`<h3>${j(e.title)}</h3>
    <p>${uo(e.marking)}</p>
    ${e.summary?`<p>${j(e.summary)}</p>`:``}
    <dl class="evidence">${n.map(([e,t])=>`<dt>${j(e)}</dt><dd>${t}</dd>`).join(``)}</dl>
    <h4>Evidence</h4>${r}
    <h4>Merges</h4>${i}
    <h4>Response options ${uo(t.marking)}</h4>${vo(t)}`}function vo(e){let t=Object.entries(e.techniques||{});return(t.length?`<p>For the techniques ${t.map(([e,t])=>`${j(e)}${t>1?` (${j(t)}
    incidents)`:``}`).join(`, `)}.</p>`:`<p class="muted">No DISARM technique recorded: the EU instruments of each
    category only.</p>`)+Object.entries(e.categories||{}).map(([e,t])=>{let n=t.countermeasures.map(e=>`<li><strong>${j(e.id)}</strong> ${j(e.name)}
      <span class="muted">(counters ${j(e.counters.join(`, `))})</span>${e.summary?`<br><span class="muted">
      ${j(e.summary)}</span>`:``}</li>`).join(``),r=t.instruments.map(e=>`<li><strong>${j(e.name)}</strong>: ${j(e.action)}
      <span class="muted">(${j(e.citation)})</span></li>`).join(``);return`<details class="response"${e===`prevention`?` open`:``}><summary>${j(ao[e]||e)}:
      ${t.countermeasures.length} countermeasures, ${t.instruments.length} EU instruments</summary>
      ${n?`<p>DISARM countermeasures</p><ul>${n}</ul>`:``}
      ${r?`<p>EU instruments</p><ul>${r}</ul>`:``}</details>`}).join(``)}function yo(e,t){let n=e.querySelector(`#narratives tbody`),r=e.querySelector(`#narratives-note`);r.innerHTML=t.length?`${t.length} narratives of the latest analysis run you may see
    (${j(ne(t[0].since))} to ${j(ne(t[0].until))}, end excluded), largest first.`:`No analysis run you may see yet: an analyst runs one with POST /api/v1/fimi/analyses or kompas fimi analyse.`,n.innerHTML=t.map((e,t)=>`<tr class="link" tabindex="0" data-id="${t}">
    <td>${j(e.label)}</td><td class="n">${j(e.size)}</td><td class="time">${j(ne(e.first_seen))}</td>
    <td class="time">${j(ne(e.last_seen))}</td><td>${fo(e.outlets)}</td><td>${fo(e.languages)}</td>
    <td>${uo(e.marking)}</td></tr>`).join(``);let i=e.querySelector(`#narrative-detail`);go(n,e=>{let n=t[Number(e.dataset.id)];i.hidden=!1,i.innerHTML=`<h3>Narrative: ${j(n.label)}</h3><p>${uo(n.marking)}</p>
      <dl class="evidence"><dt>Terms</dt><dd>${j(n.terms.join(`, `))}</dd>
        <dt>Incidents</dt><dd>${j(n.size)}</dd>
        <dt>First and last seen (UTC)</dt><dd>${j(ne(n.first_seen))} to ${j(ne(n.last_seen))}</dd>
        <dt>Outlets</dt><dd>${j(n.outlets.join(`, `))||`-`}</dd>
        <dt>Languages</dt><dd>${j(n.languages.join(`, `))||`-`}</dd>
        <dt>Analysis run</dt><dd>${j(ne(n.since))} to ${j(ne(n.until))} (end excluded)
          <span class="muted">${j(n.run_id)}</span></dd></dl>
      <h4>Examples</h4><ul>${n.examples.map(e=>`<li><span class="time">${j(ne(e.first_seen))}</span>
        <button type="button" ${lo} data-incident="${j(e.id)}">${j(e.title)}</button></li>`).join(``)}</ul>`,i.focus({preventScroll:!0}),i.scrollIntoView({block:`nearest`})})}function bo(e,t){let n=e.querySelector(`#surges tbody`);e.querySelector(`#surges-note`).innerHTML=t.length?`${t.length} surges of the latest analysis run
    you may see, by start: more incidents of one narrative in a window than its history leads to expect.`:`No surge you may see.`,n.innerHTML=t.map(e=>`<tr class="link" tabindex="0" data-id="${j(e.record_id)}">
    <td class="time">${j(ne(e.start_utc))} to ${j(ne(e.end_utc))}</td><td>${j(e.label)}</td>
    <td class="n">${j(e.cases)}</td><td class="n">${j(e.expected_per_window.toFixed(2))}</td>
    <td class="n">${j(e.score.toFixed(2))}</td><td>${fo(e.targets)}</td><td>${fo(e.outlets,2)}</td>
    <td>${uo(e.marking)}</td></tr>`).join(``);let r=e.querySelector(`#surge-detail`),i=0;go(n,async n=>{let a=++i,o=t.find(e=>e.record_id===n.dataset.id);r.hidden=!1,r.innerHTML=`<p class="muted">Loading the surge's response options…</p>`;let s=null,c=``;try{s=await y(`/api/v1/fimi/surges/${encodeURIComponent(o.record_id)}/response`)}catch(e){c=e.message}a===i&&(await D(e,[o.marking,s?.marking]),a===i&&(r.innerHTML=`<h3>Surge: ${j(o.label)}</h3><p>${uo(o.marking)}</p>
      <dl class="evidence"><dt>Window (UTC)</dt><dd>${j(M(o.start_utc,0))} to ${j(M(o.end_utc,0))}
        (end excluded)</dd>
        <dt>Cases</dt><dd>${j(o.cases)} (expected ${j(o.expected_per_window.toFixed(2))} per window from the
          narrative's history)</dd>
        <dt>Score</dt><dd>${j(o.score.toFixed(2))} (−log₁₀ of the Poisson tail probability)</dd>
        <dt>Targets</dt><dd>${j(o.targets.join(`, `))||`-`}</dd>
        <dt>Languages</dt><dd>${j(o.languages.join(`, `))||`-`}</dd>
        <dt>Outlets</dt><dd>${j(o.outlets.join(`, `))||`-`}</dd></dl>
      <h4>Evidence: the incidents behind the surge (${j(o.evidence.length)} of ${j(o.incident_ids.length)})</h4>
      <table class="surge-evidence"><thead><tr><th scope="col">First seen (UTC)</th><th scope="col">Incident</th>
        <th scope="col">Outlets</th><th scope="col">Sources</th></tr></thead><tbody>${o.evidence.map(e=>`<tr>
        <td class="time">${j(ne(e.first_seen))}</td>
        <td><button type="button" ${lo} data-incident="${j(e.id)}">${j(e.title)}</button></td>
        <td>${j(e.outlets.join(`, `))}</td>
        <td>${[...new Set(e.urls)].map(e=>po(e,mo(e))).join(`, `)}</td></tr>`).join(``)}
      </tbody></table>
      <h4>Response options ${s?uo(s.marking):``}</h4>${s?vo(s):`<p class="error" role="alert">Could not load the response options: ${j(c)}</p>`}`,r.focus({preventScroll:!0}),r.scrollIntoView({block:`nearest`})))})}var xo=[`abusive-content`,`malicious-code`,`information-gathering`,`intrusion-attempts`,`intrusions`,`availability`,`information-content-security`,`fraud`,`vulnerable`,`other`,`test`],So=[`energy`,`transport`,`banking`,`financial`,`health`,`drinking-water`,`waste-water`,`digital-infrastructure`,`ict-services`,`public-administration`,`space`,`courier`,`waste-management`,`chemical`,`food`,`manufacturing`,`digital-providers`,`research`],Co={"early-warning":`Early warning (24 h)`,"incident-notification":`Notification (72 h)`,"final-report":`Final report (1 month)`},wo=/^\d{4}-\d{2}-\d{2}$/,To=366,Eo=90,Do={G:`groups`,S:`software`,C:`campaigns`},Oo=e=>e?`<span class="mark">${j(e.banner)}</span>`:``,ko=(e,t=3)=>j((e||[]).slice(0,t).join(`, `))+((e||[]).length>t?` <span class="muted">+${e.length-t}</span>`:``)||`-`,Ao=e=>new Date(Date.now()-e*864e5).toISOString().slice(0,10),jo=e=>Date.parse(`${e}T00:00:00Z`)/864e5,Mo=`class="linkish"`,No=(e,t,n=`${t}s`)=>`${N(e)} ${e===1?t:n}`,Po=[`early-warning`,`incident-notification`,`final-report`];function Fo(e){let t=String(e);if(/^T\d{4}(\.\d{3})?$/.test(t))return`<a href="https://attack.mitre.org/techniques/${j(t.replace(`.`,`/`))}/" rel="noopener noreferrer"
      target="_blank">${j(t)}</a>`;let n=Do[t[0]];return n&&/^[GSC]\d{4}$/.test(t)?`<a href="https://attack.mitre.org/${n}/${j(t)}/"
    rel="noopener noreferrer" target="_blank">${j(t)}</a>`:j(t)}function Io(e){let t=new Date(`${e}T00:00:00Z`);t.setUTCDate(t.getUTCDate()-(t.getUTCDay()+6)%7+3);let n=t.getUTCFullYear(),r=1+Math.floor((t-Date.UTC(n,0,1))/6048e5);return`${n}-W${String(r).padStart(2,`0`)}`}function Lo(e,t){let n=[];for(let r=jo(e);r<=jo(t);r+=1){let e=Io(new Date(r*864e5).toISOString().slice(0,10));n[n.length-1]!==e&&n.push(e)}return n}function Ro(){let e=new URLSearchParams(location.hash.split(`?`)[1]||``),t={since:Ao(Eo),until:Ao(0)};if(!e.has(`since`)&&!e.has(`until`))return{...t,problem:``};let n=e.get(`since`)||t.since,r=e.get(`until`)||t.until,i=zo(n,r);return i?{...t,problem:`The link's period was not used (${i}).`}:{since:n,until:r,problem:``}}function zo(e,t){if(!wo.test(e)||!wo.test(t)||Number.isNaN(jo(e))||Number.isNaN(jo(t)))return`days are YYYY-MM-DD`;let n=jo(t)-jo(e);return n<0?`the last day is before the first`:n>To?`at most ${To} days`:``}async function Bo(e){let t=Ro();e.innerHTML=`
    <h1>Cyber: shared incidents, indicators, exposure and actors</h1>
    <p class="muted">What members share as MISP events or STIX 2.1 bundles, as far as you may see it, each item with its
      own marking. Days are UTC (YYYY-MM-DD); weeks are ISO 8601 weeks. Every incident is also a platform event: it
      can be opened on the Events page and answered from Respond.</p>
    <form class="filters card" id="period" aria-label="Period of the picture">
      <label>From (UTC day)<input name="since" ${Vo(t.since)}></label>
      <label>To (UTC day, included)<input name="until" ${Vo(t.until)}></label>
      <button type="submit">Show</button>
      <button type="button" id="period-report">Cyber threat report for this period</button>
      <span id="period-status" class="muted" role="status" aria-live="polite">${j(t.problem)}</span>
    </form>
    <section aria-labelledby="picture-title">
      <h2 id="picture-title">The picture</h2>
      <div id="picture"><p class="muted">Loading the picture…</p></div>
    </section>
    <section aria-labelledby="incidents-title">
      <h2 id="incidents-title">Incidents</h2>
      <form class="filters" id="incident-filters" aria-label="Filter incidents">
        <label>RSIT class<select name="rsit_class"><option value="">any</option>${xo.map(e=>`<option>${j(e)}</option>`).join(``)}</select></label>
        <label>NIS2 sector<select name="sector"><option value="">any</option>${So.map(e=>`<option>${j(e)}</option>`).join(``)}</select></label>
        <label>Member state (ISO code)<input name="member_state" pattern="[A-Za-z]{2}" maxlength="2" size="4"
          placeholder="DE"></label>
        <input type="hidden" name="since"><input type="hidden" name="until">
        <button type="submit">Apply</button><button type="reset">Clear</button>
        <span id="incident-count" class="muted" aria-live="polite"></span>
      </form>
      <p class="muted">Dated within the period above, newest first. NIS2 clocks (Directive (EU) 2022/2555 art. 23(4))
        run from when the entity became aware, for significant incidents or those not yet assessed.</p>
      <table id="incidents"><thead></thead><tbody></tbody></table>
      <section id="incident-detail" class="card" hidden aria-live="polite" tabindex="-1"></section>
    </section>
    <section aria-labelledby="sightings-title">
      <h2 id="sightings-title">Sightings: “we saw it too”</h2>
      <p class="muted">Members' sightings merged per indicator. You see the observers you may know; the others are counted
        as undisclosed, never named.</p>
      <form class="filters" id="sighting-lookup" aria-label="Look up an indicator">
        <label>Type<input name="type" list="cyber-types" maxlength="32" size="12" placeholder="ipv4-addr" required></label>
        <label>Value<input name="value" maxlength="2048" size="34" placeholder="198.51.100.23" required></label>
        <button type="submit">Look up</button><button type="button" id="sightings-all">Most recent</button>
        <datalist id="cyber-types">${[`ipv4-addr`,`ipv6-addr`,`domain-name`,`hostname`,`url`,`email-addr`,`md5`,`sha1`,`sha256`,`file-name`].map(e=>`<option value="${e}">`).join(``)}</datalist>
      </form>
      <p id="sightings-note" class="muted" aria-live="polite"></p>
      <table id="sightings"><thead><tr><th scope="col">Type</th><th scope="col">Indicator</th>
        <th scope="col" class="n">Seen (times)</th><th scope="col" class="n">Sighting reports</th>
        <th scope="col">First seen (UTC)</th><th scope="col">Last seen (UTC)</th><th scope="col">Observers</th>
        <th scope="col">Marking</th></tr></thead><tbody></tbody></table>
    </section>
    <section aria-labelledby="exposure-title">
      <h2 id="exposure-title">Exposure to known exploited vulnerabilities</h2>
      <div id="exposure"><p class="muted">Loading…</p></div>
    </section>
    <section aria-labelledby="actors-title">
      <h2 id="actors-title">Actors: ranked ATT&amp;CK groups (leads, not attribution)</h2>
      <p class="muted">Groups whose documented techniques and software overlap with what you give, best first, with
        what each ranking rests on. A lead for an analyst, never an attribution: attribution is a decision of the member
        states, recorded in Respond.</p>
      <form class="filters" id="actors-form" aria-label="Rank ATT&amp;CK groups">
        <label>Techniques (ATT&amp;CK ids, comma-separated)<input name="techniques" size="28" maxlength="4000"
          placeholder="T1566.002, T1078"></label>
        <label>Software (names or S-ids, comma-separated)<input name="software" size="22" maxlength="4000"
          placeholder="AcidRain"></label>
        <label>How many<input name="limit" type="number" min="1" max="100" value="10" style="width:5em"></label>
        <label class="check"><input type="checkbox" name="campaigns"> campaigns instead of groups</label>
        <button type="submit">Rank</button>
      </form>
      <div id="actors" aria-live="polite"></div>
    </section>
    <section aria-labelledby="sanctions-title">
      <h2 id="sanctions-title">EU cyber sanctions and the ATT&amp;CK groups they concern</h2>
      <div id="sanctions"><p class="muted">Loading…</p></div>
    </section>
    <section class="card" aria-labelledby="share-title">
      <h2 id="share-title">Share a MISP event or a STIX 2.1 bundle</h2>
      <p class="muted">The file keeps its own markings (MISP tags such as tlp:amber and the Kompas marking tag, STIX
        marking definitions); your organisation is added as originator. A record that cannot be read or marked is
        listed with its reason; the others are shared. Kompas incident JSON without a marking takes the one below.</p>
      <form class="filters" id="share" aria-label="Share a file">
        <label>File (JSON)<input type="file" name="file" accept=".json,application/json" required></label>
        <label>Format<select name="format"><option value="">recognise it</option><option value="misp">MISP event</option>
          <option value="stix">STIX 2.1 bundle</option><option value="json">Kompas JSON</option></select></label>
        <label>Classification (Kompas JSON)<select name="classification">${[`UNCLASSIFIED`,`RESTRICTED`,`CONFIDENTIAL`,`SECRET`,`TOP_SECRET`].map(e=>`<option>${e}</option>`).join(``)}</select></label>
        <label>TLP (Kompas JSON)<select name="tlp">${[`CLEAR`,`GREEN`,`AMBER`,`AMBER+STRICT`,`RED`].map(e=>`<option${e===`AMBER`?` selected`:``}>${e}</option>`).join(``)}</select></label>
        <button type="submit">Share</button>
      </form>
      <div id="share-result" role="status" aria-live="polite"></div>
    </section>
    <p class="muted" id="cyber-sources">Sources: MITRE ATT&amp;CK® v18.1 Enterprise and ICS (© The MITRE Corporation,
      used under the ATT&amp;CK licence); CISA Known Exploited Vulnerabilities catalogue (CC0 1.0); MISP taxonomies
      (RSIT, NIS2, PAP, admiralty scale, estimative language; CC0 1.0 or BSD-2-Clause) and the MISP threat-actor galaxy
      (CC0 1.0 or BSD-2-Clause); EU cyber sanctions listings under Council Regulation (EU) 2019/796; incidents,
      sightings and inventories contributed by platform members under their own markings.</p>`;let r={since:t.since,until:t.until,sightings:[],loading:0},i=e.querySelector(`#incident-filters`);if(t.problem){let e=new URLSearchParams(location.hash.split(`?`)[1]||``);e.set(`since`,r.since),e.set(`until`,r.until),history.replaceState(null,``,`${location.hash.split(`?`)[0]}?${e}`)}i.elements.since.value=r.since,i.elements.until.value=r.until;let a=async()=>{let t=++r.loading,n=`since=${r.since}&until=${r.until}`,[i,a,o]=await Promise.all([y(`/api/v1/cyber/picture?${n}`),y(`/api/v1/cyber/exposure?as_of=${r.until}`),y(`/api/v1/cyber/sightings?limit=100`)]);t===r.loading&&(await D(e,[i.marking,a.declarations?a.marking:null,...o.items.map(e=>e.marking)]),t===r.loading&&(e.querySelector(`#picture`).innerHTML=Yo(i,r),e.querySelector(`#exposure`).innerHTML=ts(a),e.querySelector(`#sanctions`).innerHTML=rs(i),r.sightings=o.items,es(e,o.items,`${No(o.items.length,`indicator`)} you may see, most recently
      sighted first.`)))},o=a();o.catch(()=>{});let s=await B({view:e,path:`/api/v1/cyber/incidents`,table:e.querySelector(`#incidents`),form:i,status:e.querySelector(`#incident-count`),defaultSort:`-date`,limit:25,rowAttributes:e=>`class="link" tabindex="0" data-id="${j(e.id)}"`,adjust:e=>{if(e.has(`member_state`)){let t=e.get(`member_state`).toUpperCase();/^[A-Z]{2}$/.test(t)?e.set(`member_state`,t):e.delete(`member_state`)}},columns:[{label:`Date (UTC)`,sort:null,cell:e=>`<span class="time">${j(e.date)}</span>`},{label:`Title`,sort:null,cell:e=>j(e.title)},{label:`RSIT`,sort:null,cell:e=>j(e.rsit_class?`${e.rsit_class}/${e.rsit_type||`-`}`:`-`)},{label:`NIS2 sectors`,sort:null,cell:e=>ko(e.nis2?.sectors)},{label:`Member states`,sort:null,cell:e=>ko(e.member_states,4)},{label:`Techniques`,sort:null,cell:e=>ko(e.techniques)},{label:`NIS2 clocks`,sort:null,cell:e=>Ko(e.nis2_clocks)},{label:`Shared by`,sort:null,cell:e=>j(e.shared_by)},{label:`Marking`,sort:null,cell:e=>Oo(e.marking)}],drawn:(t,n)=>{let r=e.querySelector(`#incident-count`);n.next||(r.textContent=r.textContent.replace(/^0 of \?$/,`0 of 0`).replace(/–([\d\u2009]+) of \?$/,`–$1 of $1`))}});i.addEventListener(`reset`,()=>setTimeout(()=>{i.elements.since.value=r.since,i.elements.until.value=r.until,i.requestSubmit()}));let c=e.querySelector(`#period`),l=e.querySelector(`#period-status`);c.addEventListener(`submit`,async e=>{e.preventDefault();let t=c.elements.since.value.trim(),n=c.elements.until.value.trim(),o=zo(t,n);if(o)l.innerHTML=`<span class="error" role="alert">${j(o)}</span>`;else{Object.assign(r,{since:t,until:n}),i.elements.since.value=t,i.elements.until.value=n,l.textContent=`Loading…`;try{await Promise.all([a(),s.reload()]),l.textContent=``}catch(e){l.innerHTML=`<span class="error" role="alert">${j(e.message)}</span>`}}}),e.querySelector(`#period-report`).addEventListener(`click`,async()=>{try{let e=await y(`/api/v1/reports/cyber`,{method:`POST`,body:{since:r.since,until:r.until,format:`pdf`}});Qa({title:`Cyber threat report`,asked:`${r.since} to ${r.until} (included), PDF`,href:e.href}),location.hash=`#/reports`}catch(e){l.innerHTML=`<span class="error" role="alert">Report refused: ${j(e.message)}</span>`}});let u=e.querySelector(`#incident-detail`),d=0,f=async t=>{let n=++d;u.hidden=!1,u.innerHTML=`<p class="muted">Loading the incident…</p>`;try{let i=await y(`/api/v1/cyber/incidents/${encodeURIComponent(t)}`),a=[...i.observables||[],...i.annotations||[]].filter(e=>e.marking),o=[...new Set(a.map(e=>JSON.stringify(e.marking)))],s=await Promise.all(o.map(e=>y(`/api/v1/markings/combine`,{method:`POST`,body:{markings:[i.marking,JSON.parse(e)]}})));if(n!==d)return;let c=new Map(o.map((e,t)=>[e,s[t]]));if(await D(e,[i.marking,i.shared_under,...s]),n!==d)return;u.innerHTML=Xo(i,c,r.sightings),u.dataset.id=i.id}catch(e){if(n!==d)return;u.innerHTML=`<p class="error" role="alert">Could not open the incident: ${j(e.message)}</p>`}u.focus({preventScroll:!0}),u.scrollIntoView({block:`nearest`})};Uo(e.querySelector(`#incidents tbody`),e=>f(e.dataset.id)),e.addEventListener(`click`,e=>{let t=e.target.closest(`button[data-incident]`);t&&f(t.dataset.incident)}),u.addEventListener(`click`,async t=>{let n=t.target.closest(`button[data-export]`);if(n)Zo(u,n);else if(t.target.closest(`button#rank-incident`)){let t=JSON.parse(u.querySelector(`#rank-incident`).dataset.evidence),n=e.querySelector(`#actors-form`);n.elements.techniques.value=t.techniques.join(`, `),n.elements.software.value=t.software.join(`, `),n.requestSubmit(),e.querySelector(`#actors-title`).scrollIntoView({block:`start`})}});let p=e.querySelector(`#sighting-lookup`);p.addEventListener(`submit`,async t=>{t.preventDefault();let n=p.elements.type.value.trim(),r=p.elements.value.value.trim();try{let t=await y(`/api/v1/cyber/sightings?type=${encodeURIComponent(n)}&value=${encodeURIComponent(r)}`);await D(e,t.items.map(e=>e.marking)),es(e,t.items,t.items.length?`The sightings of ${n} ${r} you may see.`:`No sighting of ${n} ${r} that you may see.`)}catch(t){e.querySelector(`#sightings-note`).innerHTML=`<span class="error" role="alert">${j(t.message)}</span>`}}),e.querySelector(`#sightings-all`).addEventListener(`click`,()=>{es(e,r.sightings,`${No(r.sightings.length,`indicator`)} you may see, most recently
      sighted first.`)});let m=e.querySelector(`#actors-form`);m.addEventListener(`submit`,async t=>{t.preventDefault();let n=e.querySelector(`#actors`),r=m.elements,i=new URLSearchParams({techniques:Ho(r.techniques.value).map(e=>e.toUpperCase()).join(`,`),software:Ho(r.software.value).join(`,`),limit:String(Number(r.limit.value)||10)});r.campaigns.checked&&i.set(`campaigns`,`true`),n.innerHTML=`<p class="muted">Ranking…</p>`;try{n.innerHTML=ns(await y(`/api/v1/cyber/actors?${i}`),r.campaigns.checked)}catch(e){n.innerHTML=`<p class="error" role="alert">No ranking: ${j(e.message)}</p>`}});let h=e.querySelector(`#share`);h.addEventListener(`submit`,async t=>{t.preventDefault();let r=e.querySelector(`#share-result`),i=h.elements.file.files[0];if(!i)return;let o=new URLSearchParams({classification:h.elements.classification.value,tlp:h.elements.tlp.value});h.elements.format.value&&o.set(`format`,h.elements.format.value),r.innerHTML=`<p class="muted">Sharing ${j(i.name)}…</p>`;try{let e=await Wo(`/api/v1/cyber/incidents?${o}`,await i.text());r.innerHTML=is(i.name,e),await Promise.all([a(),s.reload()])}catch(e){if(e instanceof n)throw e;r.innerHTML=`<p class="error" role="alert">Refused: ${j(e.message)}</p>`}}),await o.catch(t=>{if(t instanceof n)throw t;e.querySelector(`#picture`).innerHTML=`<p class="error" role="alert">Could not load the picture:
      ${j(t.message)}</p>`;for(let t of[`#exposure`,`#sanctions`])e.querySelector(t).innerHTML=`<p class="muted">Not loaded (see the picture above).</p>`})}function Vo(e){return`value="${j(e)}" pattern="\\d{4}-\\d{2}-\\d{2}" inputmode="numeric" placeholder="YYYY-MM-DD"
    maxlength="10" size="11" required`}function Ho(e){return String(e||``).split(`,`).map(e=>e.trim()).filter(Boolean)}function Uo(e,t){e.addEventListener(`click`,e=>{if(e.target.closest(`a, button`))return;let n=e.target.closest(`tr[data-id]`);n&&t(n)}),e.addEventListener(`keydown`,e=>{if(e.key!==`Enter`||e.target.closest(`a, button`))return;let n=e.target.closest(`tr[data-id]`);n&&(e.preventDefault(),t(n))})}async function Wo(e,t){let i=await fetch(e,{method:`POST`,body:t,headers:{Authorization:`Bearer ${r()??``}`,"Content-Type":`application/json`}});if(i.status===401)throw new n(`sign in again`);if(!i.ok){let e=i.statusText;try{e=JSON.stringify((await i.json()).detail)}catch{}throw Error(`${i.status}: ${e}`)}return i.json()}function Go(e){return e===`overdue`?`<span class="clock-overdue">overdue</span>`:e===`late`?`<span class="clock-late">late</span>`:j(e)}function Ko(e){return!e||!e.length?`<span class="muted">none running</span>`:e.map(e=>`<span class="clock${e.status===`overdue`?` overdue`:``}" title="${j(`${e.report} due ${M(e.due_utc,0)}${e.provisional?` (provisional)`:``}`)}">${j((Co[e.report]||e.report).split(` (`)[0])}: ${Go(e.status)}</span>`).join(`<br>`)}function qo(e,t,n,r=10,i=e=>e){if(!n.length)return`<div class="card chart"><h3>${j(t)}</h3><p class="muted">None.</p></div>`;let a=Math.max(...n.map(e=>e.count)),o=n.slice(0,r);return`<div class="card chart"><table class="hbars" id="${e}"><caption>${j(t)}</caption>
    <colgroup><col class="key"><col class="fill">
    <col class="n"></colgroup><tbody>${o.map(e=>`<tr><th scope="row">${i(e.key)}</th><td class="fill"><span style="width:${(100*e.count/a).toFixed(1)}%"></span></td><td class="n">${N(e.count)}</td></tr>`).join(``)}</tbody></table>${n.length>r?`<p class="muted">and ${n.length-r} more</p>`:``}</div>`}function Jo(e,t,n){let r=Lo(t,n),i=new Map(e.map(e=>[e.key,e.count])),a=r.map(e=>i.get(e)||0),o=Math.max(1,...a),[s,c,l,u,d,f]=[620,190,30,8,16,38],p=(s-l-u)/r.length,m=e=>d+(c-d-f)*(1-e/o),h=[...new Set([0,Math.round(o/2),o])],g=Math.ceil(r.length/16),_=r.map((e,t)=>[e,a[t]]).filter(([,e])=>e).map(([e,t])=>`${e}: ${t}`).join(`, `);return`<div class="card chart wide"><h3 id="weeks-title">Incidents per ISO week</h3>
    <svg id="weeks" viewBox="0 0 ${s} ${c}" role="img" aria-labelledby="weeks-title" aria-describedby="weeks-said">
      ${h.map(e=>`<line class="grid" x1="${l}" x2="${s-u}" y1="${m(e)}" y2="${m(e)}"></line>
        <text class="tick" x="${l-5}" y="${m(e)+4}" text-anchor="end">${e}</text>`).join(``)}
      ${a.map((e,t)=>e?`<rect class="week" x="${(l+t*p+1).toFixed(1)}" y="${m(e).toFixed(1)}"
        width="${Math.max(p-2,1).toFixed(1)}" height="${(m(0)-m(e)).toFixed(1)}" data-week="${r[t]}"><title>${r[t]}: ${e} incidents</title></rect>${p>18?`<text class="value" x="${(l+t*p+p/2).toFixed(1)}" y="${(m(e)-3).toFixed(1)}" text-anchor="middle">${e}</text>`:``}`:``).join(``)}
      ${r.map((e,t)=>t%g===0?`<text class="tick" x="${(l+t*p+p/2).toFixed(1)}"
        y="${c-f+15}" text-anchor="middle">${e.slice(5)}</text>`:``).join(``)}
      <text class="tick" x="${l}" y="${c-4}">${j(r[0].slice(0,4))}${r[0].slice(0,4)===r[r.length-1].slice(0,4)?``:` to ${j(r[r.length-1].slice(0,4))}`} (ISO weeks)</text>
    </svg>
    <p class="muted" id="weeks-said">${_?j(_):`No incident in the period.`}</p></div>`}function Yo(e,t){let n=Object.entries(e.clocks||{}).sort(([e],[t])=>Po.indexOf(e.split(` `)[0])-Po.indexOf(t.split(` `)[0])||e.localeCompare(t)),r=n.filter(([e])=>e.endsWith(` overdue`)).reduce((e,[,t])=>e+t,0),i=n.length?`<table class="clocks"><thead><tr><th scope="col">NIS2 report</th>
    <th scope="col">Status</th><th scope="col" class="n">Incidents</th></tr></thead><tbody>${n.map(([e,t])=>{let[n,r]=e.split(` `);return`<tr><td>${j(Co[n]||n)}</td><td>${Go(r)}</td><td class="n">${t}</td></tr>`}).join(``)}</tbody></table>`:`<p class="muted">No NIS2 clock runs for the incidents of the period.</p>`,a=e.surges.length?`<table id="surges"><thead><tr><th scope="col">RSIT class</th>
    <th scope="col">Days (UTC)</th><th scope="col" class="n">Incidents</th><th scope="col" class="n">Expected per week
    </th><th scope="col" class="n">Score (−log₁₀ p)</th><th scope="col">Reported by</th><th scope="col">Member states
    </th></tr></thead><tbody>${e.surges.map(e=>`<tr><td>${j(e.rsit_class)}</td>
    <td class="time">${j(e.first_day)} to ${j(e.last_day)}</td><td class="n">${e.incidents.map((e,t)=>`<button type="button" ${Mo} data-incident="${j(e)}" title="Open incident ${t+1}">${t+1}</button>`).join(` `)}</td><td class="n">${j(e.expected.toFixed(2))}</td><td class="n">${j(e.score.toFixed(2))}</td>
    <td>${j(e.reporters.join(`, `))}</td><td>${j(e.member_states.join(`, `))||`-`}</td></tr>`).join(``)}
    </tbody></table>`:`<p class="muted">No surge: no RSIT class burst in one week (at least 3 incidents from 2 members
    or hitting 2 member states, 3 times the class's own rate, Poisson p below 10⁻³).</p>`;return`<p id="picture-summary"><b>${No(e.incidents,`incident`)}</b> from ${j(e.since)} to ${j(e.until)}
      (UTC days, both included), ${N(e.significant)} significant under NIS2${r?`; <span class="clock-overdue">${No(r,`NIS2 report`)} overdue</span>`:``}. ${Oo(e.marking)}</p>
    ${e.notes.length?`<p class="muted">${e.notes.map(j).join(`; `)}</p>`:``}
    <div class="cyber-charts">
      ${Jo(e.by_week,t.since,t.until)}
      ${qo(`by-sector`,`By NIS2 sector`,e.by_sector)}
      ${qo(`by-rsit`,`By RSIT class`,e.by_rsit_class)}
      ${qo(`by-state`,`By member state affected`,e.by_member_state,12)}
      ${qo(`by-reporter`,`By sharing member`,e.by_reporter)}
      ${qo(`by-technique`,`ATT&CK techniques most seen`,e.techniques,10,Fo)}
      ${e.software.length?qo(`by-software`,`Malware and tools most seen`,e.software):``}
      ${e.actors_named.length?qo(`by-actor`,`Actors named by the sources (their claim)`,e.actors_named):``}
      <div class="card chart"><h3>NIS2 reporting clocks</h3>${i}</div>
    </div>
    <h3>Surges</h3>${a}`}function Xo(e,t,n){let r=e.nis2||{},i=new Map(n.map(e=>[`${e.type}|${e.value}`,e])),a=e=>e.marking?Oo(t.get(JSON.stringify(e.marking))):`<span class="muted">as
    shared</span>`,o=[...e.malware||[],...e.tools||[]],s=[[`Date (UTC)`,j(e.date)],[`Started, detected, reported (UTC)`,`${j(M(e.started_utc,0))}, ${j(M(e.detected_utc,0))},
      ${j(M(e.reported_utc,0))}`],[`RSIT`,j(e.rsit_class?`${e.rsit_class} / ${e.rsit_type||`-`}`:`not classified`)],[`NIS2 sectors`,j([...r.sectors||[],...(r.subsectors||[]).map(e=>`(${e})`)].join(` `))||`-`],[`NIS2 entity, significant`,`${j(r.entity_type||`not given`)}, ${r.significant===!0?`significant`:r.significant===!1?`not significant`:`not yet assessed`}${r.impact_severity?`; impact ${j(r.impact_severity)}${r.impact_outlook?`, ${j(r.impact_outlook)}`:``}`:``}${r.root_cause?`; root cause ${j(r.root_cause)}`:``}`],[`Member states affected`,j((e.member_states||[]).join(`, `))||`-`],[`ATT&CK techniques`,(e.techniques||[]).map(Fo).join(`, `)||`none recorded`],[`Malware`,j((e.malware||[]).join(`, `))||`-`],[`Tools`,j((e.tools||[]).join(`, `))||`-`],[`Actors named by the source`,(e.actors||[]).length?`${j(e.actors.join(`, `))} <span class="muted">(the
      source's claim, not an attribution)</span>`:`-`],[`Tags`,j((e.tags||[]).join(`; `))||`-`],[`Threat level, analysis`,`${j(e.threat_level||`-`)}, ${j(e.analysis||`-`)}`],[`Source`,`${j(e.source_org||`-`)}; shared by ${j(e.shared_by)}`]],c=(e.observables||[]).length?`<table class="observables"><thead><tr><th scope="col">Type</th>
    <th scope="col">Value</th><th scope="col">For detection</th><th scope="col">Comment</th><th scope="col">Sighted
    </th><th scope="col">Marking</th></tr></thead><tbody>${e.observables.map(e=>{let t=i.get(`${e.type}|${e.value}`);return`<tr><td>${j(e.type)}</td><td class="ioc">${j(e.value)}</td><td>${e.to_ids?`yes`:`no`}</td>
        <td>${j(e.comment)}</td><td>${t?`${N(t.count)} times, ${Qo(t)}`:`-`}</td><td>${a(e)}</td>
        </tr>`}).join(``)}</tbody></table>`:`<p class="muted">No observable you may see.</p>`,l=(e.annotations||[]).length?`<details><summary>Other attributes (${e.annotations.length})
    </summary><table><thead><tr><th scope="col">Type</th><th scope="col">Value</th><th scope="col">Comment</th>
    <th scope="col">Marking</th></tr></thead><tbody>${e.annotations.map(e=>`<tr><td>${j(e.misp_type)}</td>
    <td>${j(e.value)}</td><td>${j(e.comment)}</td><td>${a(e)}</td></tr>`).join(``)}</tbody></table></details>`:``,u=(e.nis2_clocks||[]).length?`<table class="clocks"><thead><tr><th scope="col">Report</th>
    <th scope="col">Due (UTC)</th><th scope="col">Status</th><th scope="col">Submitted (UTC)</th><th scope="col">Basis
    </th></tr></thead><tbody>${e.nis2_clocks.map(e=>`<tr${e.status===`overdue`?` class="overdue"`:``}>
    <td>${j(Co[e.report]||e.report)}</td><td class="time">${j(M(e.due_utc,0))}${e.provisional?` <span class="muted">(provisional: the notification is not in)</span>`:``}</td><td>${Go(e.status)}
      ${e.status===`open`?`<span class="muted">(${Math.round(e.hours_left)} h left)</span>`:``}</td>
    <td class="time">${j(M(e.submitted_utc,0))}</td><td>${j(e.basis)}</td></tr>`).join(``)}</tbody></table>`:`<p class="muted">No NIS2 clock runs: ${e.detected_utc?`assessed as not significant`:`no time of awareness`} given.</p>`,d=JSON.stringify({techniques:e.techniques||[],software:o}),f=e.shared_under&&e.shared_under.banner!==e.marking.banner?` <span class="muted">(shared under
    </span>${Oo(e.shared_under)}<span class="muted">; some of its attributes carry a marking of their own)</span>`:``;return`<h3>${j(e.title)}</h3>
    <p>${Oo(e.marking)}${f}</p>
    <p class="actions"><a href="#/event/${j(e.id)}">The platform event</a> · <a href="#/respond/${j(e.id)}">Response
      options (Respond)</a> · <button type="button" data-export="misp">Export MISP event</button>
      <button type="button" data-export="stix">Export STIX 2.1 bundle</button>${(e.techniques||[]).length||o.length?` <button type="button" id="rank-incident" data-evidence="${j(d)}">Rank ATT&amp;CK
      groups for it</button>`:``}
      <span class="export-status muted" role="status" aria-live="polite"></span></p>
    ${e.description?`<p>${j(e.description)}</p>`:``}
    <dl class="evidence">${s.map(([e,t])=>`<dt>${j(e)}</dt><dd>${t}</dd>`).join(``)}</dl>
    <h4>Observables (${(e.observables||[]).length})</h4>${c}${l}
    <h4>NIS2 reporting clocks</h4>${u}`}async function Zo(e,t){let n=e.querySelector(`.export-status`),r=e.dataset.id,i=t.dataset.export;t.disabled=!0;try{let e=await y(`/api/v1/cyber/incidents/${encodeURIComponent(r)}/export?format=${i}`,{raw:!0}),t=`${r}.${i}.json`;Da(t,await e.blob(),e.headers.get(`content-type`)),n.textContent=`Downloaded ${t}, marked ${e.headers.get(`X-Kompas-Marking`)||`-`}`}catch(e){n.textContent=`Could not export: ${e.message}`}finally{t.disabled=!1}}function Qo(e){return j([(e.observers||[]).join(`, `),e.undisclosed?`${e.undisclosed} undisclosed`:``].filter(Boolean).join(` + `)||`-`)}function $o(e){let t=Array.isArray(e.kinds)?Object.fromEntries(e.kinds.map(e=>[e,null])):e.kinds||{},n=Object.entries(t).filter(([e])=>e!==`sighting`&&e!==`true-positive`);return n.length?` <span class="muted">(${j(n.map(([e,t])=>t===null?e:`${e} ${t}`).join(`, `))})</span>`:``}function es(e,t,n){e.querySelector(`#sightings-note`).textContent=n.split(/\s+/).join(` `),e.querySelector(`#sightings tbody`).innerHTML=t.map(e=>`<tr><td>${j(e.type)}</td>
    <td class="ioc">${j(e.value)}</td><td class="n">${N(e.count)}</td><td class="n">${N(e.sightings)}</td>
    <td class="time">${j(M(e.first_seen_utc,0))}</td><td class="time">${j(M(e.last_seen_utc,0))}</td>
    <td>${Qo(e)}${$o(e)}</td><td>${Oo(e.marking)}</td></tr>`).join(``)||`<tr><td colspan="8" class="muted">No sighting you may see.</td></tr>`}function ts(e){let t=e.aggregate,n=e=>`${Math.round(100*e)} %`,r=`<p><b class="exposure-status">Every match is “${j(e.status)}”</b>: a product declared as a CPE name
    matches a KEV entry's product, not the patch level installed. ${e.declarations?Oo(e.marking):``}</p>
    <p class="muted">As of ${j(e.as_of)} (the period's last day), CISA KEV catalogue ${j(e.catalogue_version)};
    ${j(e.rule)}.${(e.notes||[]).length?` ${e.notes.map(j).join(`; `)}.`:``}</p>`;if(!e.declarations)return`${r}<p class="muted">No product inventory you may see: members declare theirs (CPE 2.3) with
      POST /api/v1/cyber/inventory.</p>`;let i=`<table id="exposure-members"><thead><tr><th scope="col">Member</th><th scope="col" class="n">Products
    declared</th><th scope="col" class="n">Matched</th><th scope="col" class="n">KEV CVEs</th><th scope="col" class="n">
    Used in ransomware</th><th scope="col" class="n">Past CISA's due date</th></tr></thead><tbody>${e.members.map(e=>`<tr><td>${j(e.member)}</td><td class="n">${N(e.declared)}</td><td class="n">${N(e.matched)}</td>
    <td class="n">${N(e.cves)}</td><td class="n">${N(e.ransomware_known)}</td><td class="n">${N(e.overdue)}
    </td></tr>`).join(``)}</tbody></table>`,a=t.per_cve.slice().sort((e,t)=>(t.ransomware===`Known`)-(e.ransomware===`Known`)||t.members-e.members||String(t.date_added).localeCompare(String(e.date_added))).slice(0,15),o=`<table id="exposure-cves"><thead><tr><th scope="col">CVE</th><th scope="col">Vendor</th>
    <th scope="col">Product</th><th scope="col">In KEV since</th><th scope="col">Ransomware use</th>
    <th scope="col" class="n">Members exposed</th><th scope="col" class="n">Assets declared</th></tr></thead>
    <tbody>${a.map(e=>`<tr><td><a href="https://nvd.nist.gov/vuln/detail/${j(e.cve_id)}"
    rel="noopener noreferrer" target="_blank">${j(e.cve_id)}</a></td><td>${j(e.vendor_project)}</td>
    <td>${j(e.product)}</td><td class="time">${j(e.date_added)}</td>
    <td>${e.ransomware===`Known`?`<span class="ransomware">known</span>`:j(e.ransomware.toLowerCase())}</td>
    <td class="n">${N(e.members)}</td><td class="n">${e.assets===null||e.assets===void 0?`-`:N(e.assets)}</td></tr>`).join(``)}</tbody></table>`;return`${r}
    <p id="exposure-summary">${N(t.members_exposed)} of ${N(t.members)} members potentially exposed:
      ${N(t.cves)} KEV CVEs, <span class="ransomware">${N(t.ransomware_cves)} known to be used in ransomware
      campaigns</span> (${n(t.ransomware_share_cves)}), ${N(t.overdue)} exposures past CISA's due date.</p>
    ${i}
    <h3>Top CVEs (ransomware use first, then members exposed; ${a.length} of ${N(t.per_cve.length)})</h3>${o}`}function ns(e,t){if(!e.leads.length)return`<p class="lead-label">${j(e.label)}</p><p class="muted">No ATT&amp;CK ${t?`campaign`:`group`}
      overlaps with this evidence.${e.notes.length?` ${e.notes.map(j).join(`; `)}`:``}</p>`;let[n,...r]=String(e.label).split(`:`);return`<p class="lead-label"><b>${j(n.charAt(0).toUpperCase()+n.slice(1))}</b>${r.length?`: ${j(r.join(`:`).trim())}`:``}.</p>
    ${e.notes.length?`<p class="muted">${e.notes.map(j).join(`; `)}</p>`:``}
    <table id="leads"><thead><tr><th scope="col" class="n">#</th><th scope="col">ATT&amp;CK id</th><th scope="col">Name
    </th><th scope="col" class="n">Score</th><th scope="col">Rests on</th><th scope="col">Shared techniques</th>
    <th scope="col">Shared software</th>${t?`<th scope="col">Attributed by ATT&amp;CK to</th>`:``}
    <th scope="col">Why</th></tr></thead><tbody>${e.leads.map((e,n)=>{let r=e.group_id||e.campaign_id;return`<tr><td class="n">${n+1}</td><td>${Fo(r)}</td><td>${j(e.name)}</td>
        <td class="n">${j(e.score.toFixed(3))}</td><td>${e.evidence.matched} of the ${e.evidence.asked} items given
        matched; ${t?`the campaign's`:`the group's`} ATT&amp;CK profile has ${N(e.evidence.profile)}
        items</td><td>${e.shared_techniques.map(Fo).join(`, `)||`-`}</td>
        <td>${e.shared_software.map(Fo).join(`, `)||`-`}</td>${t?`<td>${(e.attributed_to||[]).map(Fo).join(`, `)||`-`}</td>`:``}
        <td><details><summary>${No(e.why.length,`reason`)}</summary><ul>${e.why.map(e=>`<li>${j(e)}</li>`).join(``)}
        </ul></details></td></tr>`}).join(``)}</tbody></table>
    <p class="muted">Method: ${j(e.method||``)}</p>`}function rs(e){let t=`<p class="muted">Persons and entities listed by the Council under the EU cyber sanctions regime
    (Regulation (EU) 2019/796), each resolved to the ATT&amp;CK groups behind the attack it was listed for, from
    ATT&amp;CK's and the MISP galaxy's own text and relationships (resolved from the row's own text, or from the other
    rows of its listing). A listing is the Council's decision; the groups are how ATT&amp;CK tracks the activity.
    The last column counts the incidents of the period you may see whose source names one of those groups
    ${Oo(e.marking)}.</p>`;return e.sanctions.length?`${t}<table id="sanctions-table"><thead><tr><th scope="col">Listed</th><th scope="col">On</th>
    <th scope="col">For</th><th scope="col">ATT&amp;CK groups</th><th scope="col">Resolved from</th>
    <th scope="col">Incidents naming them</th></tr></thead><tbody>${e.sanctions.map(e=>`<tr><td>${j(e.name)}</td>
    <td class="time" title="${j(e.legal_act)}">${j(e.listed_on)}</td><td>${j(e.attack)}</td>
    <td>${e.groups.map(e=>`${Fo(e.group_id)} ${j(e.name)}`).join(`<br>`)||`-`}</td>
    <td class="muted">${j(e.evidence.join(`; `))}${e.via?` (from the ${j(e.via===`row`?`row`:`listing`)})`:``}</td>
    <td>${e.incidents.length?e.incidents.map((e,t)=>`<button type="button" ${Mo} data-incident="${j(e)}"
      >${t+1}</button>`).join(` `):`-`}</td></tr>`).join(``)}</tbody></table>`:`${t}<p class="muted">No listing linked (ATT&amp;CK or the listings are not at hand
    on the server).</p>`}function is(e,t){let n=t.rejected.length?`<table class="rejected"><thead><tr><th scope="col">Item</th><th scope="col">Field
    </th><th scope="col">Reason</th><th scope="col">Value</th></tr></thead><tbody>${t.rejected.map(e=>`<tr>
    <td>${j(e.item??e.line??``)}</td><td>${j(e.field)}</td><td>${j(e.reason)}</td><td>${j(e.value??``)}
    </td></tr>`).join(``)}</tbody></table>`:``,r=e=>e.map(e=>`<button type="button" ${Mo} data-incident="${j(e)}">${j(e)}
    </button>`).join(`, `);return`<p><b>${j(e)}</b> (${j(t.format)}): ${No(t.added.length,`incident`)} shared${t.added.length?` (${r(t.added)})`:``}, ${t.replaced.length} updated${t.replaced.length?` (${r(t.replaced)})`:``},
    ${No(t.sightings,`sighting`)} recorded, ${No(t.rejected.length,`record`)} refused.</p>
    ${t.notes.length?`<p class="muted">${t.notes.map(j).join(`; `)}</p>`:``}${n}`}async function as(e){let{mountMap:t}=await z(async()=>{let{mountMap:e}=await import(`./view-CdqWCaK5.js`);return{mountMap:e}},__vite__mapDeps([2,3,4,5,6]));return t(e)}var os={AT:`Austria`,BE:`Belgium`,BG:`Bulgaria`,HR:`Croatia`,CY:`Cyprus`,CZ:`Czechia`,DK:`Denmark`,EE:`Estonia`,FI:`Finland`,FR:`France`,DE:`Germany`,GR:`Greece`,HU:`Hungary`,IE:`Ireland`,IT:`Italy`,LV:`Latvia`,LT:`Lithuania`,LU:`Luxembourg`,MT:`Malta`,NL:`Netherlands`,PL:`Poland`,PT:`Portugal`,RO:`Romania`,SK:`Slovakia`,SI:`Slovenia`,ES:`Spain`,SE:`Sweden`},ss=`FI`,cs=`Submarine cables, landing points and internet exchanges: TeleGeography, Submarine Cable Map (2021 and 2022 vintages) and Internet Exchange Map (2020), CC BY-NC-SA 3.0, non-commercial use only.`,ls=`Power grid: PyPSA-Eur (HVDC links, links_p_nom.csv; GridKit extract of the ENTSO-E map, unofficial, not endorsed by ENTSO-E), © The PyPSA-Eur Authors, CC-BY-4.0.`,us=`Cable routes are drawn, not surveyed, and landing points are city-level: any distance to a cable (an area, a buffer around an anchor track) is approximate by kilometres.`,ds={cables:`Cables`,hvdc_mw:`HVDC (MW, rated)`,ac_mw:`AC (MW, estimated)`,pipeline_gwh_d:`Pipelines (GWh/d)`,ixp:`Internet exchanges`},fs=`-35,25,50,75`,ps=[`match`,[`geometry-type`],[`Polygon`,`MultiPolygon`],!0,!1],ms=[`match`,[`geometry-type`],[`LineString`,`MultiLineString`],!0,!1],hs=[`match`,[`geometry-type`],[`Point`,`MultiPoint`],!0,!1],gs=typeof Intl.DisplayNames==`function`?new Intl.DisplayNames([`en`],{type:`region`}):null,_s=3,vs=60,ys=3,bs=10,xs=e=>e?`<span class="mark">${j(e.banner)}</span>`:``,Ss=e=>{if(!e)return`?`;let t=os[e];try{t||=gs?.of(e)}catch{}return t&&t!==e?`${t} (${e})`:e},Cs=(e,t=0)=>e==null?`-`:N(Number(e).toFixed(t)),ws=e=>String(e||``).split(`
`).map(e=>e.trim()).filter(Boolean),Ts=(e,t=/[;,]/)=>String(e||``).split(t).map(e=>e.trim()).filter(Boolean);function Es(e,t=``){let n=(e||[]).map(e=>e.attribution).filter(Boolean),r=n.length?n:[cs,ls];return`<p class="licence"${t?` id="${t}"`:``}><strong>Sources and licences:</strong> ${r.map(j).join(` `)}</p>`}var Ds=class extends Error{constructor(e){super(Os(e,!1)),this.retryAfter=e}};function Os(e,t){return`The server is computing other analyses (assessments, rankings and area stress tests are computed a few at
    a time); ${t?`trying again in`:`try again in`} ${e} s${t?`…`:`.`}`}var ks=e=>new Promise(t=>setTimeout(t,e*1e3));function As(e){return typeof e==`string`?e:Array.isArray(e)?e.map(e=>e&&typeof e==`object`?`${(e.loc||[]).filter(e=>![`body`,`query`].includes(e)).join(`.`)}: ${e.msg??``}`:String(e)).join(`; `):JSON.stringify(e)}async function js(e,{method:t=`GET`,body:i}={}){let a={Authorization:`Bearer ${r()??``}`};i!==void 0&&(a[`Content-Type`]=`application/json`);let o;for(let n=0;o=await fetch(e,{method:t,headers:a,body:i===void 0?void 0:JSON.stringify(i)}),o.status===429&&n!==ys;n+=1)await ks(Math.min(Math.max(Number(o.headers.get(`Retry-After`))||1,1),bs));if(o.status===401)throw new n(`sign in again`);if(o.status===503)throw new Ds(Math.min(Math.max(Math.ceil(Number(o.headers.get(`Retry-After`)))||2,1),vs));if(!o.ok){let e=o.statusText;try{e=As((await o.json()).detail)}catch{}throw Error(`${e} (HTTP ${o.status})`)}return o.json()}function Ms(){let e=(new URLSearchParams(location.hash.split(`?`)[1]||``).get(`country`)||``).toUpperCase();return os[e]?e:ss}async function Ns(e){let t={country:Ms(),loading:0,stressing:0,map:null,stopped:!1,removed:[],area:null};e.innerHTML=`
    <h1>Critical infrastructure: cables, internet exchanges and the power grid</h1>
    <p class="muted">What each member state's international connectivity rests on, where its single points of failure
      are, who builds and owns it, and what a given loss would cost. Computed on the public data and the elements
      contributed under markings you may see; every answer carries their combined marking. Countries are ISO 3166
      alpha-2 codes.</p>
    <p class="licence card" id="infra-licence"><strong>Data sources and licences.</strong> ${j(cs)}
      ${j(ls)} ${j(us)}</p>
    <form class="filters card" id="infra-country" aria-label="Choose a member state">
      <label>Member state<select name="country">${Object.entries(os).sort((e,t)=>e[1].localeCompare(t[1])).map(([e,n])=>`<option value="${e}"${e===t.country?` selected`:``}>${j(n)}
          (${e})</option>`).join(``)}</select></label>
      <button type="submit">Show</button>
      <button type="button" id="infra-report" title="The report's stress test is the last one run on this page, else
        the Baltic cases of 2024">Dependency report for this state (PDF)</button>
      <span id="infra-status" class="muted" role="status" aria-live="polite"></span>
    </form>
    <section aria-labelledby="assess-title">
      <h2 id="assess-title">Assessment</h2>
      <div id="assessment"><p class="muted">Loading the assessment…</p></div>
    </section>
    <section class="card" aria-labelledby="stress-title">
      <h2 id="stress-title">Stress test</h2>
      <p class="muted">Remove elements by name or reference (one per line: a cable, an HVDC link, a landing station, a
        building; <code>cable:c-lion1</code>), everything a supplier built or an owner owns, or everything in an area:
        a GeoJSON polygon, or a line (an anchor track) with a corridor half-width, pasted or drawn on the map below.
        ${j(us)}</p>
      <form id="stress-form" aria-label="Stress test">
        <div class="filters">
          <label>Remove (one name or reference per line)<textarea name="remove" rows="3" cols="34"
            placeholder="C-Lion1&#10;Estlink 2"></textarea></label>
          <label>Suppliers (separated by ;)<input name="suppliers" size="20" maxlength="2000" placeholder="ASN"></label>
          <label>Owners (separated by ;)<input name="owners" size="20" maxlength="2000" placeholder="Cinia Oy"></label>
          <label>Alternatives avoid (codes)<input name="avoid" size="10" maxlength="200" placeholder="RU, BY"></label>
        </div>
        <div class="filters">
          <label>Area (GeoJSON: a polygon, or a line with a corridor)<textarea name="area" rows="3" cols="60"
            spellcheck="false" placeholder='{"type": "LineString", "coordinates": [[24.5, 59.8], [25.5, 59.6]]}'
            ></textarea></label>
          <label>Corridor half-width (km)<input name="buffer_km" type="number" min="0.1" max="500" step="0.1"
            style="width:7em"></label>
          <button type="button" id="draw-track">Draw a track on the map</button>
        </div>
        <div class="filters">
          <label class="check"><input type="checkbox" name="focus" checked> rows from the selected state's side</label>
          <label class="check"><input type="checkbox" name="record"> record it as a stress-test event</label>
          <button type="submit">Run the stress test</button>
          <button type="reset">Clear</button>
        </div>
      </form>
      <div id="stress-result" aria-live="polite"></div>
    </section>
    <section aria-labelledby="rank-title">
      <h2 id="rank-title">Elements ranked by the damage their loss causes</h2>
      <div id="ranking"><p class="muted">Loading…</p></div>
    </section>
    <section aria-labelledby="vintages-title">
      <h2 id="vintages-title">The cable map in June 2021 and late 2022</h2>
      <div id="vintages"><p class="muted">Loading…</p></div>
    </section>
    <section aria-labelledby="infra-map-title">
      <h2 id="infra-map-title">Map</h2>
      <div class="infra-map-wrap">
        <div class="map" id="infra-map" role="application" aria-label="Map of the infrastructure layers"></div>
        <aside class="card infra-map-side" aria-label="Layers and legend">
          <fieldset><legend>Layers</legend><div id="infra-layers"><p class="muted">Loading the map…</p></div>
          </fieldset>
          <p id="draw-help" class="muted" hidden>Click on the map to add the track's points; then
            <button type="button" id="draw-done">Use this track</button> <button type="button" id="draw-cancel">
            Cancel</button></p>
          <p class="muted">Point at an item for its name; click it for its details. The element removed by the last
            stress test is drawn in black, the area in red.</p>
          ${Es([],`map-licence`)}
          <p class="muted">${j(us)}</p>
        </aside>
      </div>
    </section>`;let r=e.querySelector(`#infra-status`),i=e.querySelector(`#infra-country`),a=async(r,i,a,s,c=0,l=()=>!0)=>{if(i instanceof n)throw i;let u=r.tagName===`SPAN`?`span`:`p`,d=!0;await D(e,[]).catch(()=>{d=!1}),!t.stopped&&e.isConnected&&l()&&(d?i instanceof Ds?o(r,u,i.retryAfter,s,c,l):r.innerHTML=`<${u} class="error" role="alert">${j(a)}: ${j(i.message)}</${u}>`:r.innerHTML=`<${u} class="error" role="alert">${j(a)}: the marking could not be checked; reload the
        page.</${u}>`)},o=(e,n,r,i,a,o)=>{let s=a<_s;e.innerHTML=`<${n} class="muted busy" role="status">${s?`The server is computing other analyses
      (assessments, rankings and area stress tests are computed a few at a time); trying again in <span
      class="countdown" aria-live="off">${r}</span> s… `:`${j(Os(r,!1))} `}<button
      type="button" class="retry">${s?`Try now`:`Try again`}</button></${n}>`;let c=e.querySelector(`.busy`),l=r,u=null,d=e=>{clearInterval(u),c.isConnected&&!t.stopped&&o()&&(c.outerHTML=`<${n} class="muted">Trying again…</${n}>`,i(e))};c.querySelector(`button.retry`).addEventListener(`click`,()=>d(s?a+1:0)),s&&(u=setInterval(()=>{!c.isConnected||t.stopped||!o()?clearInterval(u):(--l,l<=0?d(a+1):c.querySelector(`.countdown`).textContent=String(l))},1e3))},s=async(n,r,i=0)=>{let o=e.querySelector(`#ranking`);i||(o.innerHTML=`<p class="muted">Ranking ${j(Ss(r))}'s elements…</p>`);try{let i=await js(`/api/v1/infra/rank?country=${r}&limit=25`);if(n!==t.loading||(await D(e,[i.marking]),n!==t.loading))return;o.innerHTML=Hs(i,r)}catch(e){if(n!==t.loading)return;await a(o,e,`No ranking`,e=>s(n,r,e),i,()=>n===t.loading)}},c=async(n=0)=>{let r=++t.loading,i=t.country,o=e.querySelector(`#assessment`),l;try{l=await js(`/api/v1/infra/assess?country=${i}`)}catch(i){if(r!==t.loading)return;await a(o,i,`No assessment`,e=>c(e),n,()=>r===t.loading),r===t.loading&&(e.querySelector(`#ranking`).innerHTML=`<p class="muted">Not ranked: the assessment comes first (see
          above).</p>`);return}r===t.loading&&(await D(e,[l.marking]),r===t.loading&&(o.innerHTML=Ps(l),await s(r,i),r===t.loading&&t.map?.focusOn(i)))},l=async(n=0)=>{let r=e.querySelector(`#vintages`);try{let n=await js(`/api/v1/infra/vintages`);if(await D(e,[n.marking]),!e.isConnected)return;r.innerHTML=Us(n,t.country),t.vintages=n}catch(e){await a(r,e,`No comparison of the vintages`,e=>l(e),n)}};i.addEventListener(`submit`,async n=>{n.preventDefault(),t.country=i.elements.country.value,history.replaceState(null,``,`#/infra?country=${t.country}`),r.textContent=`Loading…`;try{await c(),t.vintages&&(e.querySelector(`#vintages`).innerHTML=Us(t.vintages,t.country)),r.textContent=``}catch(e){await a(r,e,`Not loaded`,()=>Promise.resolve(i.requestSubmit()),_s)}}),i.elements.country.addEventListener(`change`,()=>i.requestSubmit()),e.querySelector(`#infra-report`).addEventListener(`click`,async()=>{let n={countries:[t.country],format:`pdf`,...t.scenario?{scenarios:[t.scenario]}:{}};r.textContent=``;try{let e=await js(`/api/v1/reports/infra`,{method:`POST`,body:n});Qa({title:`Critical infrastructure dependencies`,asked:`${Ss(t.country)}, ${t.scenario?`stress test: ${t.scenario.title}`:`the Baltic cases of 2024`}, PDF`,href:e.href}),location.hash=`#/reports`}catch(t){await a(r,t,`Report refused`,()=>Promise.resolve(e.querySelector(`#infra-report`).click()),_s)}}),e.addEventListener(`click`,t=>{let n=t.target.closest(`button[data-stress]`);if(!n)return;let r=e.querySelector(`#stress-form`);r.reset(),r.elements.remove.value=n.dataset.stress,r.requestSubmit(),e.querySelector(`#stress-title`).scrollIntoView({block:`start`})});let u=e.querySelector(`#stress-form`),d=e.querySelector(`#stress-result`);u.addEventListener(`submit`,async e=>{e.preventDefault(),t.stressing+=1;let n=u.elements,r={remove:ws(n.remove.value),suppliers:Ts(n.suppliers.value,`;`),owners:Ts(n.owners.value,`;`),avoid:Ts(n.avoid.value).map(e=>e.toUpperCase()),countries:n.focus.checked?[t.country]:[],record:n.record.checked},i=n.area.value.trim();if(i){try{r.area=JSON.parse(i)}catch(e){d.innerHTML=`<p class="error" role="alert">The area is not JSON: ${j(e.message)}</p>`;return}n.buffer_km.value&&(r.buffer_km=Number(n.buffer_km.value))}else if(n.buffer_km.value){d.innerHTML=`<p class="error" role="alert">A corridor needs an area: a line (an anchor track) or a
        polygon.</p>`;return}!r.remove.length&&!r.suppliers.length&&!r.owners.length&&!r.area?d.innerHTML=`<p class="error" role="alert">Name something to remove, a supplier, an owner or an area.</p>`:await f(r)});let f=async(n,r=0)=>{let i=++t.stressing;r||(d.innerHTML=`<p class="muted">Computing…</p>`);try{let r=await js(`/api/v1/infra/stress`,{method:`POST`,body:n});if(i!==t.stressing||(await D(e,[r.marking]),!e.isConnected||i!==t.stressing))return;d.innerHTML=zs(r),t.removed=r.removed.map(e=>e.ref),t.scenario={title:String(r.scenario||``).slice(0,200),remove:n.remove.slice(0,50),suppliers:n.suppliers.slice(0,50),owners:n.owners.slice(0,50),avoid:n.avoid.slice(0,50),...n.area?{area:n.area}:{},...n.buffer_km?{buffer_km:n.buffer_km}:{}},t.area=n.area||null,t.map?.highlight(t.removed,t.area)}catch(e){if(i!==t.stressing)return;await a(d,e,`No stress test`,e=>f(n,e),r,()=>i===t.stressing)}};return u.addEventListener(`reset`,()=>{t.stressing+=1,d.innerHTML=``,t.scenario=null,t.removed=[],t.area=null,t.map?.highlight([],null)}),await Promise.all([c(),l()]),Gs(e,t).then(e=>{t.stopped?e?.remove():(t.map=e,e?.focusOn(t.country),e?.highlight(t.removed,t.area))}).catch(async t=>{if(t instanceof n)return;let r=e.querySelector(`#infra-layers`);await D(e,[]).catch(()=>{}),r&&e.isConnected&&(r.innerHTML=`<p class="error" role="alert">The map could not be drawn: ${j(t.message)}</p>`)}).catch(()=>{}),()=>{t.stopped=!0,t.map?.remove()}}function Ps(e){return(e.notes||[]).map(e=>`<p class="error" role="alert">${j(e)}</p>`).join(``)+(e.contributions?`<p class="muted">Includes ${N(e.contributions)} contributed
    element(s) from ${j((e.contributors||[]).join(`, `))}, under the marking above.</p>`:``)+e.countries.map(t=>Fs(t,e)).join(``)+Es(e.sources,`assess-licence`)}function Fs(e,t){let n=e.cables||{},r=e.power||{},i=[...new Set([...Object.keys(n.neighbours||{}),...Object.keys(e.redundancy||{}),...Object.keys(r.hvdc_mw||{}),...Object.keys(r.ac_mw||{}),...Object.keys(r.pipeline_gwh_d||{})])];i.sort((e,t)=>((n.neighbours||{})[t]||0)-((n.neighbours||{})[e]||0)||((r.hvdc_mw||{})[t]||0)+((r.ac_mw||{})[t]||0)-((r.hvdc_mw||{})[e]||0)-((r.ac_mw||{})[e]||0)||e.localeCompare(t));let a=Object.keys(r.pipeline_gwh_d||{}).length>0,o=n.busiest_station,s=e.exchanges||{};return`<div class="infra-country" data-country="${j(e.country)}">
    <h3>${j(e.name)} (${j(e.country)}) ${xs(t.marking)}</h3>
    <div class="infra-figures">
      ${Is(n.international??0,`international cables`,`${N(n.domestic??0)} domestic`)}
      ${Is(n.distinct_neighbours??0,`neighbour countries by cable`)}
      ${Is(n.landing_stations??0,`landing stations`,o?`busiest: ${o.name}, ${o.cables}
        cables (${o.share_pct}%)`:``)}
      ${Is(s.count??0,`internet exchanges`,s.count?`in ${N(s.buildings)} buildings`:``)}
      ${Is((e.single_points||[]).length,`single points of failure`)}
    </div>
    <div class="infra-grid">
      <div class="card wide">
        <table id="neighbours" class="infra-neighbours">
          <caption>International connections per neighbour</caption>
          <thead><tr><th scope="col">Neighbour</th><th scope="col" class="n">Cables</th>
            <th scope="col" class="n" title="Paths to the neighbour that share no carrier">Disjoint paths</th>
            <th scope="col" class="n">HVDC (MW, rated)</th><th scope="col" class="n">AC (MW, estimated)</th>
            ${a?`<th scope="col" class="n">Pipelines (GWh/d)</th>`:``}</tr></thead>
          <tbody>${i.map(t=>`<tr data-neighbour="${j(t)}"><th scope="row">${j(Ss(t))}</th>
            <td class="n cables">${Cs((n.neighbours||{})[t]??0)}</td>
            <td class="n redundancy">${Cs((e.redundancy||{})[t]??null)}</td>
            <td class="n hvdc">${Cs((r.hvdc_mw||{})[t]??null)}</td>
            <td class="n ac">${(r.ac_mw||{})[t]?`≈ ${Cs(r.ac_mw[t])}`:`-`}</td>
            ${a?`<td class="n pipeline">${Cs((r.pipeline_gwh_d||{})[t]??null,1)}</td>`:``}
            </tr>`).join(``)||`<tr><td colspan="6" class="muted">No international connection in the data.</td></tr>`}
          </tbody>
        </table>
        <p class="muted">Disjoint paths: routes to the neighbour that share no carrier (cables and links). HVDC
          capacities are published ratings; AC capacities are estimated from voltage and circuits (thermal ratings, not
          transfer capacities) and are only an order of magnitude.</p>
      </div>
      <div class="card">
        <h4>Cables (${N((n.cables||[]).length)})</h4>
        <ul class="infra-list">${(n.cables||[]).map(e=>`<li>${j(e.name)} <span class="muted">${j(e.countries.join(`, `))}</span></li>`).join(``)||`<li class="muted">None.</li>`}</ul>
        <h4>HVDC links and pipelines</h4>
        <ul class="infra-list">${(r.links||[]).map(e=>`<li>${j(e.name)} <span class="muted">${j(e.countries.join(`-`))}: ${Cs(e.capacity)} ${j(e.measure===`pipeline_gwh_d`?`GWh/d`:`MW`)}
          </span></li>`).join(``)||`<li class="muted">None.</li>`}</ul>
      </div>
      <div class="card">
        <h4>Internet exchanges</h4>
        ${s.count?`<p>${N(s.count)} exchanges in ${N(s.buildings)} buildings; ${N(s.buildings_per_exchange?.mean)} buildings per exchange on average (at most ${N(s.buildings_per_exchange?.max)});
          ${N(s.single_building)} in a single building.</p>
          <p>${j(s.top_city?.city)} holds ${N(s.top_city?.exchanges)} of them (${s.top_city?.share_pct}%).
          ${s.top_building?`The building hosting the most: ${j(s.top_building.name)} (${N(s.top_building.exchanges)}).`:``}</p>
          ${Ls(`exchange-cities`,`Exchanges per city`,Object.entries(s.cities||{}),e=>N(e))}`:`<p class="muted">No internet exchange in the data.</p>`}
      </div>
      ${Rs(`suppliers`,`Cable suppliers`,e.suppliers,t.eu_coverage)}
      ${Rs(`owners`,`Cable owners`,e.owners)}
    </div>
    <h4>Single points of failure</h4>
    <p class="muted">An element whose loss alone leaves two countries unable to reach each other, leaves a pair
      without any direct carrier, removes more than ${Math.round(100*(t.share??.5))}% of a pair's direct
      capacity, or cuts off an internet exchange.</p>
    <table id="single-points"><thead><tr><th scope="col">Element</th><th scope="col">Kind</th>
      <th scope="col">Why</th><th scope="col"></th></tr></thead><tbody>${(e.single_points||[]).map(e=>`
      <tr data-ref="${j(e.ref)}"><td>${j(e.name)}${e.origin===`public`?``:` <span class="muted">(contributed by
        ${j(e.origin)})</span>`}</td><td>${j(e.kind)}</td><td>${e.reasons.map(j).join(`<br>`)}</td>
        <td><button type="button" class="linkish" data-stress="${j(e.ref)}">Stress test</button></td></tr>`).join(``)||`<tr><td colspan="4" class="muted">None found.</td></tr>`}</tbody></table>
  </div>`}function Is(e,t,n=``){return`<div class="infra-figure"><strong>${N(e)}</strong> ${j(t)}${n?`<br><span class="muted">
    ${j(n)}</span>`:``}</div>`}function Ls(e,t,n,r=e=>`${e}%`,i=8){if(!n.length)return`<p class="muted">None.</p>`;let a=Math.max(...n.map(([,e])=>e))||1;return`<table class="hbars" id="${e}"><caption>${j(t)}</caption><colgroup><col class="key">
    <col class="fill"><col class="n"></colgroup><tbody>${n.slice(0,i).map(([e,t])=>`<tr><th scope="row"
    title="${j(e)}">${j(e)}</th><td class="fill"><span style="width:${(100*t/a).toFixed(1)}%"></span></td>
    <td class="n">${j(r(t))}</td></tr>`).join(``)}</tbody></table>${n.length>i?`<p class="muted">and ${n.length-i} more</p>`:``}`}function Rs(e,t,n,r){if(!n)return``;let i=n.coverage||{},a=n.groups?`<p>Suppliers' home countries: EU27 ${n.groups.EU27}%, like-minded partners
    ${n.groups.like_minded}%, other ${n.groups.other}%, not attributed ${n.groups.unattributed}%.</p>`:``,o=r?`<p class="muted">Across the EU: ${N(r.without_supplier)} of the ${N(r.cables)} cables
    landing in a member state have no supplier recorded.</p>`:``;return`<div class="card" id="${e}">
    <h4>${j(t)}</h4>
    <p class="coverage">Coverage: ${N(i.recorded??0)} of ${N(i.total??0)} cables have one recorded
      (${i.pct??`-`}%). ${n.hhi!==null&&n.hhi!==void 0?`HHI ${Cs(n.hhi)} (0-10 000; above
      2 500 is highly concentrated), on the recorded ones only.`:``}</p>
    ${Ls(`${e}-shares`,`Shares of the cables with one recorded`,Object.entries(n.shares||{}))}
    ${a}${o}
  </div>`}function zs(e){let t=(e.caveats||[]).length?e.caveats:[us],n=e.removed||[],r=e.rows||[];return`<div class="infra-stress">
    <p><strong>${j(e.scenario||``)}</strong> ${xs(e.marking)}${e.event_id?` <span class="muted">Recorded as
      event <a href="#/event/${j(e.event_id)}">${j(e.event_id)}</a>.</span>`:``}</p>
    <ul class="caveats">${t.map(e=>`<li>${j(e)}</li>`).join(``)}</ul>
    <h3>Removed (${N(n.length)})</h3>
    <ul class="infra-list" id="stress-removed">${n.slice(0,100).map(e=>`<li data-ref="${j(e.ref)}">${j(e.name)} <span class="muted">${j(e.kind)}${e.link_kind?` (${j(e.link_kind)})`:``}: ${j(e.why)}</span>
      </li>`).join(``)}${n.length>100?`<li class="muted">and ${n.length-100} more</li>`:``}</ul>
    <h3>Before and after, per country pair</h3>
    <table id="stress-rows" class="stress-rows"><thead><tr><th scope="col">From</th><th scope="col">To</th>
      <th scope="col">Measure</th><th scope="col" class="n">Before</th><th scope="col" class="n">After</th>
      <th scope="col">Unit</th><th scope="col" class="bars">Kept (of before)</th></tr></thead>
      <tbody>${r.map(e=>`<tr data-pair="${j(e.from_country)}-${j(e.to_country)}"
        data-kind="${j(e.kind)}"><td>${j(e.from_country)}</td><td>${j(e.to_country)}</td>
        <td>${j(ds[e.kind]||e.kind)}</td><td class="n before">${Cs(e.before,e.before%1?1:0)}</td><td class="n after">${Cs(e.after,e.after%1?1:0)}</td><td>${j(e.unit)}</td>
        <td class="bars">${Bs(e)}</td></tr>`).join(``)||`<tr><td colspan="7" class="muted">No country pair loses anything.</td></tr>`}</tbody></table>
    <p class="muted">Rows: from_country, to_country, kind, before, after, unit (as the command line and the API give
      them). AC capacities are estimates.</p>
    ${(e.disconnected||[]).length?`<h3>Pairs that can no longer reach each other</h3><ul class="infra-list"
      id="stress-disconnected">${e.disconnected.map(e=>`<li>${j(Ss(e.from_country))} and ${j(Ss(e.to_country))} <span class="muted">(${j(e.group||``)})</span></li>`).join(``)}</ul>`:``}
    ${Vs(e.alternatives||{})}
    <h3>Internet exchanges cut off</h3>
    ${(e.exchanges_cut||[]).length?`<ul class="infra-list" id="stress-exchanges">${e.exchanges_cut.map(e=>`<li>${j(e.name)} <span class="muted">${j([e.city,e.country].filter(Boolean).join(`, `))}</span></li>`).join(``)}</ul>`:`<p class="muted">None.</p>`}
    ${Es(e.sources,`stress-licence`)}
  </div>`}function Bs(e){let t=e.before?Math.max(0,Math.min(1,e.after/e.before)):0;return`<span class="kept-bar" role="img" aria-label="${Math.round(100*t)}% kept"><span class="kept"
    style="width:${(100*t).toFixed(1)}%"></span><span class="lost" style="width:${(100*(1-t)).toFixed(1)}%"
    ></span></span>`}function Vs(e){let t=Object.entries(e);return t.length?`<h3>Alternatives</h3><div id="stress-alternatives">${t.map(([e,t])=>`
    <div class="card alternative" data-pair="${j(e)}"><h4>${j(e)}: ${t.reachable?`still reachable, in ${N(t.shortest_hops)} hop(s) at least`:`<span class="error">no longer reachable
      </span>`}</h4>
      ${t.exits?.length?`<p>Exits: ${t.exits.map(e=>j(Ss(e))).join(`, `)}.
        ${t.entries?.length?`Entries: ${t.entries.map(e=>j(Ss(e))).join(`, `)}.`:``}
        ${t.transit?.length?`Transit through: ${t.transit.map(e=>j(Ss(e))).join(`, `)}.`:``}</p>`:``}
      ${(t.paths||[]).length?`<ol class="paths">${t.paths.map(e=>`<li><strong>${j(e.countries.join(` → `))}
        </strong><br><span class="muted">${(e.hops||[]).map(e=>`${j(e.from_country)}-${j(e.to_country)}:
        ${N(e.carriers)} carrier(s) (${j((e.names||[]).join(`, `))}${e.carriers>(e.names||[]).length?`, …`:``})`).join(`; `)}</span></li>`).join(``)}</ol>`:``}
    </div>`).join(``)}</div>`:``}function Hs(e,t){let n=e.ranking||[];return`<p class="muted">The elements serving ${j(Ss(t))} (carriers, landing stations, buildings), each
    removed alone: the pairs it disconnects first, then the pairs it leaves without a direct carrier, then the share
    of direct capacity it removes (summed over pairs: 1.0 = one pair's whole capacity), then the exchanges it cuts off.
    ${xs(e.marking)}</p>
    <table id="ranking-table"><thead><tr><th scope="col" class="n">#</th><th scope="col">Element</th>
      <th scope="col">Kind</th><th scope="col" class="n">Pairs disconnected</th>
      <th scope="col" class="n">Pairs left without a direct carrier</th><th scope="col" class="n">Capacity share lost</th>
      <th scope="col" class="n">Exchanges cut</th><th scope="col">Pairs</th><th scope="col"></th></tr></thead>
      <tbody>${n.map((e,t)=>`<tr data-ref="${j(e.ref)}"><td class="n">${t+1}</td><td>${j(e.name)}</td>
        <td>${j(e.kind)}</td><td class="n">${N(e.disconnected)}</td><td class="n">${N(e.pairs_without_direct)}
        </td><td class="n">${Cs(e.capacity_share_lost,2)}</td><td class="n">${N(e.exchanges_cut)}</td>
        <td class="muted">${j((e.pairs||[]).join(`; `))}</td><td><button type="button" class="linkish"
          data-stress="${j(e.ref)}">Stress test</button></td></tr>`).join(``)||`<tr><td colspan="9" class="muted">Nothing whose loss costs anything.</td></tr>`}</tbody></table>
    ${Es(e.sources,`rank-licence`)}`}function Us(e,t){let n=e.counts||{},r=e=>e.filter(e=>(e.countries||[]).includes(t)),i=(e,t)=>`<ul class="infra-list" id="${t}">${e.map(e=>`<li>${j(e.name)}
    <span class="muted">${j((e.countries||[]).join(`, `))}${e.rfs_year?`; ready for service ${e.rfs_year}`:``}
    ${e.planned?` (planned)`:``}</span></li>`).join(``)||`<li class="muted">None.</li>`}</ul>`,a=(e.notes||[]).map(e=>`<p class="error" role="alert">${j(e)}</p>`).join(``),o=e.renamed||[];return`${a}<p id="vintage-counts">${N(n.old??0)} cables on the June 2021 map, ${N(n.new??0)} on the
    late 2022 map: ${N(n.added??0)} added${n.newly_mapped?` (${N(n.newly_mapped)} of them in service
    before, first drawn on the 2022 map)`:``}, ${N(n.retired??0)} retired, ${N(n.renamed??o.length)}
    renamed, ${N(n.changed??0)} changed. ${xs(e.marking)}</p>
    <p class="muted">${j(e.note||``)}</p>
    <div class="infra-grid">
      <div class="card"><h4>Added, landing in ${j(Ss(t))}</h4>${i(r(e.added||[]),`vintage-added`)}</div>
      <div class="card"><h4>Retired, landing in ${j(Ss(t))}</h4>${i(r(e.retired||[]),`vintage-retired`)}</div>
      <div class="card"><h4>Landings changed in or out of ${j(Ss(t))}</h4><ul class="infra-list"
        id="vintage-changed">${(e.changed||[]).filter(e=>e.countries&&[...e.countries.before||[],...e.countries.after||[]].includes(t)).map(e=>`<li>${j(e.name)} <span class="muted">${j(Ws(e))}</span></li>`).join(``)||`<li class="muted">None.</li>`}</ul></div>
    </div>
    <details><summary>Every cable added (${N((e.added||[]).length)}), retired (${N((e.retired||[]).length)}) and renamed (${N(o.length)})</summary><div class="infra-grid"><div>
      <h4>Added</h4>${i(e.added||[],`all-added`)}</div><div><h4>Retired</h4>${i(e.retired||[],`all-retired`)}</div><div><h4>Renamed (the same landing points)</h4><ul class="infra-list" id="all-renamed">${o.map(e=>`<li>${j(e.before?.name)} → ${j(e.after?.name)} <span class="muted">${j((e.after?.countries||[]).join(`, `))}</span></li>`).join(``)||`<li class="muted">None.</li>`}</ul></div>
      </div></details>
    ${Es(e.sources,`vintages-licence`)}`}function Ws(e){let t=[];for(let[n,r]of Object.entries(e)){if([`ref`,`name`,`id`].includes(n)||r===null||Array.isArray(r)&&!r.length)continue;let e=Array.isArray(r)?r.join(`, `):r&&typeof r==`object`&&`before`in r?`${(r.before||[]).join(`, `)||`none`} → ${(r.after||[]).join(`, `)||`none`}`:String(r);t.push(`${n.replace(/_/g,` `)}: ${e}`)}return t.join(`; `)}async function Gs(e,t){let[{Map:r,NavigationControl:i,Popup:a,ScaleControl:o,setWorkerUrl:s},c]=await Promise.all([z(()=>import(`./maplibre-gl-BUwiJpK_.js`),[]),z(()=>import(`./maplibre-gl-worker-BmsAK4Ca.js`),[]),z(()=>Promise.resolve({}),__vite__mapDeps([5])),z(()=>Promise.resolve({}),__vite__mapDeps([6]))]);if(s(c.default),t.stopped||!e.isConnected)return null;let{layers:l}=await y(`/api/v1/map/layers`),u=l.filter(e=>e.id.startsWith(`infra-`)||e.id===`boundaries`),d=e.querySelector(`#infra-map`),f=new r({container:d,style:{version:8,sources:{},layers:[{id:`sea`,type:`background`,paint:{"background-color":`#cddbe6`}}]},bounds:[[-12,34],[35,71]],attributionControl:{compact:!1},dragRotate:!1,pitchWithRotate:!1,touchPitch:!1,maxZoom:12,fadeDuration:0});f.keyboard.enable(),f.addControl(new i({showCompass:!1}),`top-left`),f.addControl(new o({unit:`metric`}),`bottom-left`),d.__map=f,await new Promise((e,t)=>{f.once(`load`,e),f.once(`error`,e=>t(Error(`the map could not start: ${e.error?.message||e}`)))});let p={};d.__layers=p;let m=e.querySelector(`#infra-layers`);m.innerHTML=u.map(e=>`<div class="map-layer"><label><input type="checkbox" name="infra-layer"
    value="${j(e.id)}" checked>${Ys(e)} ${j(e.title)}</label><div class="status muted"
    id="infra-status-${j(e.id)}" aria-live="polite">Loading…</div></div>`).join(``);let h=e=>[`${e}-fill`,`${e}-outline`,`${e}-line`,`${e}-point`],g=e=>{let t=e.id;f.addSource(t,{type:`geojson`,data:p[t],attribution:j(e.attribution)}),f.addLayer({id:`${t}-fill`,type:`fill`,source:t,filter:ps,paint:{"fill-color":e.fill||e.colour,"fill-opacity":e.fill?1:.3}},`highlight-line`),f.addLayer({id:`${t}-outline`,type:`line`,source:t,filter:ps,paint:{"line-color":e.colour,"line-width":.6}},`highlight-line`),f.addLayer({id:`${t}-line`,type:`line`,source:t,filter:ms,layout:{"line-cap":`round`,"line-join":`round`},paint:{"line-color":e.colour,"line-width":t===`infra-ac`?1.2:1.8,"line-opacity":.85}},`highlight-line`),f.addLayer({id:`${t}-point`,type:`circle`,source:t,filter:hs,paint:{"circle-radius":3.5,"circle-color":e.colour,"circle-stroke-color":`#ffffff`,"circle-stroke-width":1}},`highlight-line`)};f.addSource(`highlight`,{type:`geojson`,data:Ks()}),f.addSource(`area`,{type:`geojson`,data:Ks()}),f.addSource(`drawing`,{type:`geojson`,data:Ks()}),f.addLayer({id:`highlight-line`,type:`line`,source:`highlight`,filter:ms,paint:{"line-color":`#111`,"line-width":3,"line-opacity":.9}}),f.addLayer({id:`highlight-point`,type:`circle`,source:`highlight`,filter:hs,paint:{"circle-radius":5,"circle-color":`#111`}}),f.addLayer({id:`area-fill`,type:`fill`,source:`area`,filter:ps,paint:{"fill-color":`#c8102e`,"fill-opacity":.15}}),f.addLayer({id:`area-line`,type:`line`,source:`area`,paint:{"line-color":`#c8102e`,"line-width":2.5,"line-dasharray":[2,1]}}),f.addLayer({id:`drawing-line`,type:`line`,source:`drawing`,paint:{"line-color":`#c8102e`,"line-width":2}}),f.addLayer({id:`drawing-point`,type:`circle`,source:`drawing`,filter:hs,paint:{"circle-radius":4,"circle-color":`#c8102e`}});let _=u.map(e=>y(e.id===`boundaries`?e.href:`${e.href}?bbox=${fs}`).then(t=>{p[e.id]=t}).catch(t=>{p[e.id]=t}));for(let[r,i]of u.entries()){if(await _[r],t.stopped||!e.isConnected)return f;let a=e.querySelector(`#infra-status-${CSS.escape(i.id)}`);if(p[i.id]instanceof Error){if(p[i.id]instanceof n)throw p[i.id];if(await D(e,[]),t.stopped||!e.isConnected)return f;a.innerHTML=`<span class="error">Could not load: ${j(p[i.id].message)}</span>`,delete p[i.id];continue}if(await D(e,[p[i.id].marking]),t.stopped||!e.isConnected)return f;g(i);let o=p[i.id],s=o.properties?.notes||[];a.innerHTML=`${o.features.length?`${N(o.features.length)} items`:`nothing you may see`}${s.length?`; ${j(s.join(` `))}`:``}<span class="mark">${j(o.marking.banner)}</span>`}for(let e of m.querySelectorAll(`input[name="infra-layer"]`))e.addEventListener(`change`,()=>{for(let t of h(e.value))f.getLayer(t)&&f.setLayoutProperty(t,`visibility`,e.checked?`visible`:`none`)});let v=Object.assign(document.createElement(`div`),{className:`map-tooltip`,hidden:!0});d.append(v);let b=()=>u.filter(e=>e.id!==`boundaries`).flatMap(e=>h(e.id)).filter(e=>f.getLayer(e)&&f.getLayoutProperty(e,`visibility`)!==`none`),x=e=>{let t=b();return t.length&&f.queryRenderedFeatures([[e.x-5,e.y-5],[e.x+5,e.y+5]],{layers:t})[0]||null},S={on:!1,points:[]};f.on(`mousemove`,e=>{let t=S.on?null:x(e.point);v.hidden=!t,f.getCanvas().style.cursor=S.on?`crosshair`:t?`pointer`:``,t&&(v.textContent=t.properties.name||t.layer.source,v.style.left=`${e.point.x+12}px`,v.style.top=`${e.point.y+12}px`)}),f.getCanvas().addEventListener(`mouseleave`,()=>{v.hidden=!0});let C=null;f.on(`click`,async t=>{if(S.on){S.points.push([Number(t.lngLat.lng.toFixed(4)),Number(t.lngLat.lat.toFixed(4))]),E();return}let n=x(t.point);if(!n)return;let r=n.properties,i=typeof r.marking==`string`?JSON.parse(r.marking):r.marking;if(await D(e,[i]),!e.isConnected)return;C?.remove();let o=Object.entries(r).filter(([e,t])=>![`marking`,`name`,`ref`].includes(e)&&t!==null&&t!==`null`&&typeof t!=`object`);C=new a({maxWidth:`340px`,focusAfterOpen:!0}).setLngLat(t.lngLat).setHTML(`
      <strong>${j(r.name||``)}</strong>
      <div class="muted">${o.map(([e,t])=>`${j(e.replace(/_/g,` `))}: ${j(t)}`).join(`<br>`)}</div>
      <span class="mark">${j(i.banner)}</span>`).addTo(f)});let w=e.querySelector(`#draw-help`),T=e.querySelector(`#stress-form`),E=()=>{let e=S.points.map(e=>({type:`Feature`,geometry:{type:`Point`,coordinates:e},properties:{}}));S.points.length>=2&&e.push({type:`Feature`,geometry:{type:`LineString`,coordinates:S.points},properties:{}}),f.getSource(`drawing`).setData({type:`FeatureCollection`,features:e})},O=()=>{S.on=!1,S.points=[],E(),w.hidden=!0,f.getCanvas().style.cursor=``};e.querySelector(`#draw-track`).addEventListener(`click`,()=>{S.on=!0,S.points=[],E(),w.hidden=!1,d.scrollIntoView({block:`center`})}),e.querySelector(`#draw-cancel`).addEventListener(`click`,O),e.querySelector(`#draw-done`).addEventListener(`click`,()=>{S.points.length<2?w.querySelector(`button`).textContent=`Use this track (2 points at least)`:(T.elements.area.value=JSON.stringify({type:`LineString`,coordinates:S.points}),T.elements.buffer_km.value||(T.elements.buffer_km.value=`5`),O(),T.elements.area.focus(),e.querySelector(`#stress-title`).scrollIntoView({block:`start`}))});let k=()=>Object.entries(p).filter(([e])=>e!==`boundaries`).flatMap(([,e])=>e.features);return{remove:()=>f.remove(),highlight(e,t){let n=new Set(e),r=k().filter(e=>n.has(e.properties.ref));f.getSource(`highlight`).setData({type:`FeatureCollection`,features:r.map(qs).flat()}),d.__highlighted=r.map(e=>e.properties.ref),f.getSource(`area`).setData(t?Js(t):Ks())},focusOn(e){let t=[];for(let n of k()){let r=n.properties;(r.country===e||(r.countries||``).split(/[-, ]+/).includes(e))&&n.geometry.type===`Point`&&r.country===e&&t.push(n.geometry.coordinates)}if(!t.length)return;let n=t.map(e=>e[0]),r=t.map(e=>e[1]);f.fitBounds([[Math.min(...n)-4,Math.min(...r)-3],[Math.max(...n)+4,Math.max(...r)+1]],{duration:0,maxZoom:6})}}}function Ks(){return{type:`FeatureCollection`,features:[]}}function qs(e){let t=e.geometry;return t.type===`MultiLineString`?t.coordinates.map(e=>({type:`Feature`,properties:{},geometry:{type:`LineString`,coordinates:e}})):[{type:`Feature`,properties:{},geometry:t}]}function Js(e){return e.type===`FeatureCollection`?e:e.type===`Feature`?{type:`FeatureCollection`,features:[e]}:e.type===`MultiPolygon`?{type:`FeatureCollection`,features:e.coordinates.map(e=>({type:`Feature`,properties:{},geometry:{type:`Polygon`,coordinates:e}}))}:{type:`FeatureCollection`,features:[{type:`Feature`,properties:{},geometry:e}]}}function Ys(e){let t=e.kind===`areas`?`area`:e.kind===`points`?`point`:`line`;return`<span class="swatch ${t}" style="${j(t===`area`?`background:${e.fill||e.colour};border-color:${e.colour}`:t===`point`?`background:${e.colour}`:`border-top-color:${e.colour}`)}" aria-hidden="true"></span>`}var Xs=[10,53.5,31,66.5],Zs={baltic:`The Baltic Sea`,view:`The area shown on the map`,world:`The whole world`},Qs={baltic:`Baltic seabed cables and links`,all:`Every cable and HVDC link (Europe)`,none:`None`},$s=[[0,`the whole track up to the time`],[3600,`the last hour`],[10800,`the last 3 hours`],[21600,`the last 6 hours`],[43200,`the last 12 hours`],[86400,`the last 24 hours`]],ec={anchor_drag:[`Anchor dragged`,`#c8102e`],dark:[`Dark (AIS off in coverage)`,`#111111`],encounter:[`Encounter (ship to ship)`,`#7b2cbf`],loitering:[`Loitering`,`#e07000`],drift:[`Drift`,`#b08900`],stop:[`Stop`,`#2e7d32`],identity:[`Identity anomaly`,`#0077b6`],reception_gap:[`Reception gap (coverage hole)`,`#8a8a8a`],position_jump:[`Data error: position jump`,`#b0b0b0`],speed_glitch:[`Data error: speed glitch`,`#b0b0b0`]},tc=`#555555`,nc=[`#6a3d9a`,`#e7298a`,`#1b7837`,`#8c510a`,`#222222`,`#01665e`,`#c51b7d`,`#4d4d4d`,`#762a83`,`#b15928`],rc=`#0b6e99`,ic=`#c77700`,ac=`Contribute AIS (NMEA or CSV, plain or .gz) under a marking: <code>kompas maritime ingest FILE
  --contribute --user NAME</code> on the server, or <code>POST /api/v1/maritime/ais</code>; then screen it
  (<code>kompas maritime screen --user NAME --record</code>, or <code>POST /api/v1/maritime/screen</code>) so its
  events are recorded.`,oc=`Cable routes are drawn, not surveyed: each asset's route accuracy is given with it; a vessel near a route is near it to within that accuracy.`,sc=3,cc=10,lc=3,uc=60,dc=5,fc=200,pc=100,mc=[`match`,[`geometry-type`],[`LineString`,`MultiLineString`],!0,!1],hc=[`match`,[`geometry-type`],[`Point`,`MultiPoint`],!0,!1],gc=class extends Error{constructor(e){super(`The server is busy; try again in ${e} s.`),this.retryAfter=e}},_c=e=>new Promise(t=>setTimeout(t,e*1e3));function vc(e){return typeof e==`string`?e:Array.isArray(e)?e.map(e=>e&&typeof e==`object`?`${(e.loc||[]).filter(e=>![`body`,`query`].includes(e)).join(`.`)}: ${e.msg??``}`:String(e)).join(`; `):JSON.stringify(e)}async function yc(e){let t={Authorization:`Bearer ${r()??``}`},i;for(let n=0;i=await fetch(e,{headers:t}),i.status===429&&n!==sc;n+=1)await _c(Math.min(Math.max(Number(i.headers.get(`Retry-After`))||1,1),cc));if(i.status===401)throw new n(`sign in again`);if(i.status===503)throw new gc(Math.min(Math.max(Math.ceil(Number(i.headers.get(`Retry-After`)))||2,1),uc));if(!i.ok){let e=i.statusText;try{e=vc((await i.json()).detail)}catch{}throw Error(`${e} (HTTP ${i.status})`)}return i.json()}var bc=e=>e?Date.parse(M(e))/1e3:NaN,xc=e=>M(e*1e3,0),Sc=e=>nc[Math.abs(Number(e)||0)%nc.length],Cc=e=>(ec[e]||[null,tc])[1],wc=e=>(ec[e]||[String(e||`event`).replace(/_/g,` `)])[0],Tc=e=>/telecom/i.test(String(e||``))?rc:ic;function Ec(e){if(e.vessel)return String(e.vessel);if(e.name)return String(e.name);if(e.mmsi)return`MMSI ${e.mmsi}`;let t=String(e.title||``),n=t.indexOf(`: `);return n>=0&&(t=t.slice(n+2)),e.asset&&t.endsWith(` near ${e.asset}`)&&(t=t.slice(0,-` near ${e.asset}`.length)),t||`-`}function Dc(e,t){let n=0,r=e.length-1,i=-1;for(;n<=r;){let a=n+r>>1;e[a]<=t?(i=a,n=a+1):r=a-1}return i}async function Oc(e){let t=new URLSearchParams(location.hash.split(`?`)[1]||``),r={loading:0,stopped:!1,answer:null,data:null,map:null,time:null,trail:0,timer:null,popup:null};e.innerHTML=`
    <h1>Maritime: vessel tracks, events and undersea assets</h1>
    <p class="muted">The vessel positions contributed to the platform that you may see (AIS, a navy's own radar
      tracks), fused into one track per vessel, the maritime events recorded from them, and the undersea cables and
      links watched. Every answer carries the combined marking of what it used. Times are UTC.</p>
    <form class="filters card" id="maritime-form" aria-label="Window, area and assets">
      <label>From (UTC)<input name="start_utc" type="text" data-utc inputmode="numeric" size="22"
        placeholder="2024-12-25T00:00:00Z" title="ISO 8601, UTC: a day, or a day and time; empty: from the first"
        ></label>
      <label>Until (UTC)<input name="end_utc" type="text" data-utc inputmode="numeric" size="22"
        placeholder="2024-12-26" title="ISO 8601, UTC: a day, or a day and time; empty: to the last"></label>
      <label>Area<select name="area">${Object.entries(Zs).map(([e,t])=>`<option value="${e}">${j(t)}
        </option>`).join(``)}</select></label>
      <label>Assets<select name="assets">${Object.entries(Qs).map(([e,t])=>`<option value="${e}">${j(t)}</option>`).join(``)}</select></label>
      <button type="submit">Show</button>
      <span id="maritime-status" class="muted" role="status" aria-live="polite"></span>
    </form>
    <div id="maritime-summary" aria-live="polite"><p class="muted">Loading…</p></div>
    <section aria-labelledby="maritime-map-title">
      <h2 id="maritime-map-title">Map</h2>
      <div class="maritime-map-wrap">
        <div class="map" id="maritime-map" role="application" aria-label="Map of the vessel tracks, events and undersea
          assets"></div>
        <aside class="card maritime-map-side" aria-label="Layers and legend">
          <fieldset><legend>Layers</legend><div id="maritime-layers"><p class="muted">Loading the map…</p></div>
          </fieldset>
          <h3>Events</h3>
          <ul class="map-legend" id="maritime-legend"></ul>
          <p class="muted">Point at an item for its name; click it for its details. Tracks are coloured by vessel; the
            dot at a track's end is where the vessel was last seen by the slider's time.</p>
        </aside>
      </div>
      <div class="card maritime-time" id="maritime-time-box">
        <div class="filters">
          <label class="maritime-slider">Time (UTC)<input type="range" id="maritime-slider" name="time" min="0"
            max="1" step="1" value="1" disabled aria-describedby="maritime-time"></label>
          <output id="maritime-time" for="maritime-slider" class="time">-</output>
          <label>Each track shows<select id="maritime-trail" name="trail">${$s.map(([e,t])=>`<option
            value="${e}">${j(t)}</option>`).join(``)}</select></label>
          <button type="button" id="maritime-play" disabled>Play</button>
          <button type="button" id="maritime-end" disabled>To the end</button>
        </div>
        <p id="maritime-visible" class="muted" aria-live="off"></p>
      </div>
      <div id="maritime-licence"></div>
    </section>
    <section aria-labelledby="maritime-events-title">
      <h2 id="maritime-events-title">Events</h2>
      <p class="muted">The maritime events recorded in the window that you may see, by start time. A row zooms the map
        to its event (and moves the slider to it when it starts later); events not yet started at the slider's time are
        greyed.</p>
      <table id="maritime-events"><thead><tr><th scope="col">Type</th><th scope="col">Vessel</th>
        <th scope="col">Start (UTC)</th><th scope="col">End (UTC)</th><th scope="col">Asset</th>
        <th scope="col">Severity</th><th scope="col">Marking</th></tr></thead>
        <tbody><tr><td colspan="7" class="muted">Loading…</td></tr></tbody></table>
    </section>`;let i=e.querySelector(`#maritime-form`),a=e.querySelector(`#maritime-status`),o=e.querySelector(`#maritime-summary`),s=e.querySelector(`#maritime-slider`),c=e.querySelector(`#maritime-trail`),l=e.querySelector(`#maritime-play`);for(let e of i.elements)e.name&&t.has(e.name)&&(e.value=t.get(e.name));i.elements.area.value||(i.elements.area.value=`baltic`),i.elements.assets.value||(i.elements.assets.value=`baltic`),t.has(`trail`)&&(c.value=t.get(`trail`)),r.trail=Number(c.value)||0;let u=async(t,i,o)=>{if(t instanceof n)throw t;let s=!0;if(await D(e,[]).catch(()=>{s=!1}),!r.stopped&&e.isConnected){if(!s)a.innerHTML=`<span class="error" role="alert">Not shown: the marking could not be checked; reload the
        page.</span>`;else if(t instanceof gc){let e=o<lc;a.innerHTML=`<span class="muted busy" role="status">The server is busy; ${e?`trying again`:`try again`} in ${t.retryAfter} s${e?`…`:`.`} <button type="button" class="retry">${e?`Try now`:`Try again`}</button></span>`;let n=r.loading,s=e?setTimeout(()=>{n===r.loading&&!r.stopped&&i(o+1)},t.retryAfter*1e3):null;a.querySelector(`button.retry`).addEventListener(`click`,()=>{clearTimeout(s),i(e?o+1:0)})}else a.innerHTML=`<span class="error" role="alert">Not shown: ${j(t.message)}</span>`}},d=()=>{let e=new URLSearchParams,t=i.elements;for(let n of[`start_utc`,`end_utc`]){let r=t[n].value.trim();if(t[n].removeAttribute(`aria-invalid`),!r)continue;let i=I(r);if(!i)return t[n].setAttribute(`aria-invalid`,`true`),null;e.set(n,i)}let n=t.area.value,r=n===`baltic`?Xs:n===`view`?f():null;return r&&e.set(`bbox`,r.join(`,`)),e.set(`assets`,t.assets.value),e},f=()=>{if(!r.map)return Xs;let e=r.map.map.getBounds(),t=(e,t,n)=>Number(Math.min(n,Math.max(t,e)).toFixed(3));return[t(e.getWest(),-180,180),t(e.getSouth(),-90,90),t(e.getEast(),-180,180),t(e.getNorth(),-90,90)]},p=()=>{let e=i.elements,t=new URLSearchParams;for(let n of[`start_utc`,`end_utc`])e[n].value.trim()&&t.set(n,e[n].value.trim());e.area.value!==`baltic`&&t.set(`area`,e.area.value),e.assets.value!==`baltic`&&t.set(`assets`,e.assets.value),r.trail&&t.set(`trail`,String(r.trail)),history.replaceState(null,``,`#/maritime${t.toString()?`?${t}`:``}`)},m=async(t=0)=>{let n=d();if(!n){a.innerHTML=`<span class="error" role="alert">A time is ISO 8601 UTC: 2024-12-25 or
        2024-12-25T09:30:00Z.</span>`;return}let s=++r.loading;p(),a.textContent=`Loading…`;let c;try{c=await yc(`/api/v1/maritime/map?${n}`)}catch(n){if(s!==r.loading)return;await u(n,e=>m(e),t),s===r.loading&&!r.answer&&(o.innerHTML=``,e.querySelector(`#maritime-events tbody`).innerHTML=`<tr><td colspan="7" class="muted">Nothing shown.
          </td></tr>`);return}s!==r.loading||r.stopped||(await D(e,[c.marking]),s===r.loading&&!r.stopped&&e.isConnected&&(a.textContent=``,r.answer=c,r.data=kc(c),o.innerHTML=jc(c,r.data,i.elements.assets.value),e.querySelector(`#maritime-licence`).innerHTML=Mc(c,i.elements.assets.value),e.querySelector(`#maritime-legend`).innerHTML=Nc(r.data),g(),v(),r.map?.show(r.data,c),S()))},h=e.querySelector(`#maritime-events`),g=()=>{let{events:e}=r.data;h.tBodies[0].innerHTML=e.map((e,t)=>{let n=e.properties;return`<tr class="link" tabindex="0" data-k="${t}" data-id="${j(n.id)}" data-type="${j(n.type)}">
        <td><span class="swatch point" style="background:${j(Cc(n.type))}" aria-hidden="true"></span>${j(wc(n.type))}</td><td>${j(Ec(n))}</td><td class="time">${j(xc(e.start))}</td>
        <td class="time">${j(Number.isNaN(e.end)?`-`:xc(e.end))}</td><td>${j(n.asset||`-`)}</td>
        <td class="sev-${j(n.severity)}">${j(n.severity||`-`)}</td><td><span class="mark">${j(n.banner)}
        </span></td></tr>`}).join(``)||`<tr><td colspan="7" class="muted">No maritime event recorded in this window that you may see.
      </td></tr>`,h.dataset.rows=String(e.length)},_=t=>{let n=Number(t?.dataset.k);if(!t||Number.isNaN(n))return;let i=r.data.events[n];r.time!==null&&i.start>r.time&&b(y(i.start)),e.querySelector(`#maritime-map`).scrollIntoView({block:`center`}),r.map?.focusEvent(n)};h.addEventListener(`click`,e=>_(e.target.closest(`tr[data-k]`))),h.addEventListener(`keydown`,e=>{if(e.key===`Enter`||e.key===` `){let t=e.target.closest(`tr[data-k]`);t&&(e.preventDefault(),_(t))}});let v=()=>{C();let{first:t,last:n}=r.data,i=Number.isFinite(t)&&Number.isFinite(n);for(let t of[s,l,e.querySelector(`#maritime-end`)])t.disabled=!i;if(!i){r.time=null,s.min=`0`,s.max=`1`,s.value=`1`,e.querySelector(`#maritime-time`).textContent=`-`;return}let a=Math.max(1,Math.ceil(n-t)),o=a>1e5?60:a>5e3?10:1;s.min=String(Math.floor(t)),s.step=String(o),s.max=String(Math.floor(t)+Math.ceil(a/o)*o),s.value=s.max,r.time=Number(s.max)},y=e=>{let[t,n]=[Number(s.min),Number(s.step)||1];return Math.min(Number(s.max),t+Math.ceil((e-t)/n)*n)},b=e=>{s.value=String(e),r.time=Number(s.value),S()},x=null,S=()=>{x===null&&(x=requestAnimationFrame(()=>{if(x=null,r.stopped||!r.data)return;let t=Ac(r.data,r.time,r.trail);e.querySelector(`#maritime-time`).textContent=r.time===null?`-`:xc(r.time),s.setAttribute(`aria-valuetext`,r.time===null?`no time`:`${xc(r.time)} UTC`),e.querySelector(`#maritime-visible`).textContent=r.time===null?``:`Up to ${xc(r.time)}:
        ${N(t.vertices)} of ${N(r.data.vertices)} track points (${N(t.vessels)} of
        ${N(r.data.tracks.length)} vessels), ${N(t.events.length)} of ${N(r.data.events.length)} events started.`.replace(/\s*\n\s*/g,` `);for(let e of h.tBodies[0].querySelectorAll(`tr[data-k]`)){let t=r.data.events[Number(e.dataset.k)];e.classList.toggle(`later`,r.time!==null&&t.start>r.time)}r.map?.cut(t)}))};s.addEventListener(`input`,()=>{r.time=Number(s.value),S()}),c.addEventListener(`change`,()=>{r.trail=Number(c.value)||0,p(),S()});let C=()=>{clearInterval(r.timer),r.timer=null,l.textContent=`Play`};return l.addEventListener(`click`,()=>{if(r.timer){C();return}let[t,n]=[Number(s.min),Number(s.max)];r.time>=n&&b(t);let i=Math.max(Number(s.step)||1,(n-t)/fc);l.textContent=`Pause`,r.timer=setInterval(()=>{if(r.stopped||!e.isConnected){C();return}let t=Math.min(n,r.time+i);b(t),t>=n&&C()},pc)}),e.querySelector(`#maritime-end`).addEventListener(`click`,()=>{C(),b(Number(s.max))}),i.addEventListener(`submit`,e=>{e.preventDefault(),m()}),Pc(e,r).then(e=>{r.stopped?e?.remove():(r.map=e,e&&r.data&&(e.show(r.data,r.answer),S()))}).catch(async t=>{if(t instanceof n)return;await D(e,[]).catch(()=>{});let r=e.querySelector(`#maritime-layers`);r&&e.isConnected&&(r.innerHTML=`<p class="error" role="alert">The map could not be drawn: ${j(t.message)}</p>`)}).catch(()=>{}),await m(),()=>{r.stopped=!0,C(),x!==null&&cancelAnimationFrame(x),r.map?.remove()}}function kc(e){let t=(e.tracks?.features||[]).map((e,t)=>{let n=e.geometry.type===`Point`?[e.geometry.coordinates]:e.geometry.coordinates,r=(e.properties.times||[]).map(Number);return{k:t,properties:e.properties,coordinates:n,times:r,colour:Sc(e.properties.mmsi)}}),n=(e.events?.features||[]).map((e,t)=>({k:t,properties:e.properties,coordinates:e.geometry.coordinates,start:bc(e.properties.start_utc),end:bc(e.properties.end_utc)})).sort((e,t)=>e.start-t.start||e.k-t.k);n.forEach((e,t)=>{e.k=t});let r=(e.assets?.features||[]).map((e,t)=>({k:t,feature:e})),i=1/0,a=-1/0;for(let e of t)e.times.length&&(i=Math.min(i,e.times[0]),a=Math.max(a,e.times[e.times.length-1]));for(let e of n)Number.isFinite(e.start)&&(i=Math.min(i,e.start),a=Math.max(a,e.start));let o=t.reduce((e,t)=>e+t.coordinates.length,0);return{tracks:t,events:n,assets:r,first:i,last:a,vertices:o}}function Ac(e,t,n){let r=[],i=[],a=0;for(let o of e.tracks){let e=0,s=o.coordinates.length-1;if(t!==null&&o.times.length===o.coordinates.length&&(s=Dc(o.times,t),n>0&&(e=Dc(o.times,t-n)+1)),s<e)continue;a+=s-e+1;let c=o.coordinates.slice(e,s+1),l={k:o.k,colour:o.colour,name:o.properties.name||`MMSI ${o.properties.mmsi}`};r.push({type:`Feature`,properties:l,geometry:c.length>1?{type:`LineString`,coordinates:c}:{type:`Point`,coordinates:c[0]}}),i.push({type:`Feature`,properties:l,geometry:{type:`Point`,coordinates:c[c.length-1]}})}return{lines:r,heads:i,events:e.events.filter(e=>t===null||!(e.start>t)),vertices:a,vessels:r.length}}function jc(e,t,n){let r=`<span class="mark">${j(e.banner||e.marking?.banner)}</span>`,i=t.tracks.length,a=[];e.truncated&&a.push(`More positions match than one answer reads: the newest contributions were read first and older ones left out; narrow the window or the area to see them.`),e.thinned&&a.push(`The tracks are thinned evenly to ${N(e.vertices??t.vertices)} points in all for the map; the events were detected on every position.`);let o=!i&&!t.events.length;return`<p id="maritime-counts"><strong>${N(i)}</strong> vessel track(s), ${N(t.vertices)} points,
    <strong>${N(t.events.length)}</strong> event(s)${n===`none`?``:`, ${N(t.assets.length)} undersea
    asset(s) watched`}${t.tracks.length?`, from ${j(xc(t.first))} to ${j(xc(t.last))}`:``}.
    ${r}</p>
    ${a.map(e=>`<p class="muted maritime-note">${j(e)}</p>`).join(``)}
    ${o?`<div class="card maritime-empty" id="maritime-empty"><p><strong>No vessel positions or maritime events
      you may see in this window and area.</strong> Widen the window or the area, or, if nothing has been contributed
      yet:</p><p>${ac}</p></div>`:i?``:`<p class="muted maritime-empty" id="maritime-empty">No vessel
      positions you may see in this window and area (the events were recorded from positions you may not see, or
      outside it). ${ac}</p>`}`}function Mc(e,t){return`<p class="licence" id="maritime-attribution"><strong>Sources and licences:</strong> ${[...e.attribution||[]].map(j).join(` `)} Country boundaries: Natural Earth (public domain).${t===`none`?``:` ${j(oc)}`}</p>`}function Nc(e){let t={};for(let n of e.events)t[n.properties.type]=(t[n.properties.type]||0)+1;return[...new Set([`anchor_drag`,`dark`,`encounter`,`loitering`,`drift`,`stop`,`identity`,...Object.keys(t)])].map(e=>`<li${t[e]?``:` class="muted"`}><span class="swatch point" style="background:${j(Cc(e))}" aria-hidden="true"></span>${j(wc(e))}${t[e]?` (${N(t[e])})`:``}
    </li>`).join(``)+`<li><span class="swatch line" style="border-top-color:${rc}" aria-hidden="true"></span>
    Telecom cable</li><li><span class="swatch line" style="border-top-color:${ic}" aria-hidden="true"></span>
    Power cable or link</li>`}async function Pc(e,t){let[{Map:r,NavigationControl:i,Popup:a,ScaleControl:o,setWorkerUrl:s},c]=await Promise.all([z(()=>import(`./maplibre-gl-BUwiJpK_.js`),[]),z(()=>import(`./maplibre-gl-worker-BmsAK4Ca.js`),[]),z(()=>Promise.resolve({}),__vite__mapDeps([5])),z(()=>Promise.resolve({}),__vite__mapDeps([6]))]);if(s(c.default),t.stopped||!e.isConnected)return null;let{layers:l}=await yc(`/api/v1/map/layers`),u=l.find(e=>e.id===`boundaries`),d=e.querySelector(`#maritime-map`),f=new r({container:d,style:{version:8,sources:{},layers:[{id:`sea`,type:`background`,paint:{"background-color":`#cddbe6`}}]},bounds:[[Xs[0],Xs[1]],[Xs[2],Xs[3]]],attributionControl:{compact:!1},dragRotate:!1,pitchWithRotate:!1,touchPitch:!1,maxZoom:14,fadeDuration:0});if(f.keyboard.enable(),f.addControl(new i({showCompass:!1}),`top-left`),f.addControl(new o({unit:`metric`}),`bottom-left`),d.__map=f,await new Promise((e,t)=>{f.once(`load`,e),f.once(`error`,e=>t(Error(`the map could not start: ${e.error?.message||e}`)))}),t.stopped||!e.isConnected)return f.remove(),null;let p=()=>({type:`FeatureCollection`,features:[]});for(let e of[`maritime-assets`,`maritime-tracks`,`maritime-heads`,`maritime-events`])f.addSource(e,{type:`geojson`,data:p()});f.addLayer({id:`assets-line`,type:`line`,source:`maritime-assets`,filter:mc,layout:{"line-cap":`round`,"line-join":`round`},paint:{"line-color":[`get`,`colour`],"line-width":2,"line-opacity":.8,"line-dasharray":[3,1.5]}}),f.addLayer({id:`tracks-line`,type:`line`,source:`maritime-tracks`,filter:mc,layout:{"line-cap":`round`,"line-join":`round`},paint:{"line-color":[`get`,`colour`],"line-width":2,"line-opacity":.9}}),f.addLayer({id:`tracks-point`,type:`circle`,source:`maritime-tracks`,filter:hc,paint:{"circle-radius":2,"circle-color":[`get`,`colour`]}}),f.addLayer({id:`heads-point`,type:`circle`,source:`maritime-heads`,paint:{"circle-radius":4,"circle-color":[`get`,`colour`],"circle-stroke-color":`#ffffff`,"circle-stroke-width":1.5}}),f.addLayer({id:`events-point`,type:`circle`,source:`maritime-events`,paint:{"circle-radius":7,"circle-color":[`get`,`colour`],"circle-opacity":.85,"circle-stroke-color":`#ffffff`,"circle-stroke-width":2}});let m=e.querySelector(`#maritime-layers`),h=[[`assets`,`Undersea assets`,[`assets-line`]],[`tracks`,`Vessel tracks`,[`tracks-line`,`tracks-point`,`heads-point`]],[`events`,`Events`,[`events-point`]]];m.innerHTML=h.map(([e,t])=>`<div class="map-layer"><label><input type="checkbox"
    name="maritime-layer" value="${e}" checked> ${j(t)}</label><div class="status muted"
    id="maritime-status-${e}">-</div></div>`).join(``)+`<div class="map-layer"><label><input type="checkbox"
    name="maritime-layer" value="boundaries" checked> Country boundaries</label><div class="status muted"
    id="maritime-status-boundaries">Loading…</div></div>`;for(let e of m.querySelectorAll(`input[name="maritime-layer"]`))e.addEventListener(`change`,()=>{let t=e.value===`boundaries`?[`boundaries-fill`,`boundaries-line`]:h.find(([t])=>t===e.value)[2];for(let n of t)f.getLayer(n)&&f.setLayoutProperty(n,`visibility`,e.checked?`visible`:`none`)});u&&yc(u.href).then(async n=>{await D(e,[n.marking]),!t.stopped&&e.isConnected&&(f.addSource(`boundaries`,{type:`geojson`,data:n,attribution:j(u.attribution)}),f.addLayer({id:`boundaries-fill`,type:`fill`,source:`boundaries`,paint:{"fill-color":u.fill||`#f3f1ea`}},`assets-line`),f.addLayer({id:`boundaries-line`,type:`line`,source:`boundaries`,paint:{"line-color":u.colour||`#8a96a3`,"line-width":.6}},`assets-line`),e.querySelector(`#maritime-status-boundaries`).textContent=`${N(n.features.length)} countries`)}).catch(async t=>{if(t instanceof n)return;await D(e,[]).catch(()=>{});let r=e.querySelector(`#maritime-status-boundaries`);r&&(r.innerHTML=`<span class="error">Could not load: ${j(t.message)}</span>`)});let g=Object.assign(document.createElement(`div`),{className:`map-tooltip`,hidden:!0});d.append(g);let _=[`events-point`,`heads-point`,`tracks-line`,`tracks-point`,`assets-line`],v=null,y=e=>{let t=_.filter(e=>f.getLayer(e)&&f.getLayoutProperty(e,`visibility`)!==`none`),n=f.queryRenderedFeatures([[e.x-dc,e.y-dc],[e.x+dc,e.y+dc]],{layers:t});return n.sort((e,t)=>_.indexOf(e.layer.id)-_.indexOf(t.layer.id)),n[0]||null};f.on(`mousemove`,e=>{let t=v?y(e.point):null;g.hidden=!t,f.getCanvas().style.cursor=t?`pointer`:``,t&&(g.textContent=t.properties.name||``,g.style.left=`${e.point.x+12}px`,g.style.top=`${e.point.y+12}px`)}),f.getCanvas().addEventListener(`mouseleave`,()=>{g.hidden=!0});let b=(e,n)=>{t.popup?.remove(),t.popup=new a({maxWidth:`340px`,focusAfterOpen:!1}).setLngLat(e).setHTML(n).addTo(f),d.__popup=t.popup};f.on(`click`,e=>{let t=v?y(e.point):null;if(!t)return;let n=Number(t.properties.k),r=t.layer.source;r===`maritime-events`?b(e.lngLat,Ic(v.events[n])):r===`maritime-assets`?b(e.lngLat,Lc(v.assets[n].feature.properties)):b(e.lngLat,Rc(v.tracks[n].properties))});let x=(t,n)=>{e.querySelector(`#maritime-status-${t}`).textContent=n};return{map:f,remove:()=>f.remove(),show(e,n){v=e,t.popup?.remove(),d.__data=e;let r=Fc(n.attribution||[]),i={type:`FeatureCollection`,features:e.assets.map(({k:e,feature:t})=>({type:`Feature`,geometry:t.geometry,properties:{k:e,name:t.properties.name,kind:t.properties.kind,colour:Tc(t.properties.kind)}}))};f.getSource(`maritime-assets`)&&f.removeLayer(`assets-line`),f.getSource(`maritime-assets`)&&f.removeSource(`maritime-assets`),f.addSource(`maritime-assets`,{type:`geojson`,data:i,attribution:e.assets.length?r:``}),f.addLayer({id:`assets-line`,type:`line`,source:`maritime-assets`,filter:mc,layout:{"line-cap":`round`,"line-join":`round`,visibility:m.querySelector(`input[value=assets]`).checked?`visible`:`none`},paint:{"line-color":[`get`,`colour`],"line-width":2,"line-opacity":.8,"line-dasharray":[3,1.5]}},`tracks-line`),x(`assets`,`${N(e.assets.length)} assets`),x(`tracks`,`${N(e.tracks.length)} vessels, ${N(e.vertices)} points`),x(`events`,`${N(e.events.length)} events`);let[a,o,s,c]=[1/0,1/0,-1/0,-1/0];for(let[t,n]of[...e.tracks.flatMap(e=>e.coordinates),...e.events.map(e=>e.coordinates)])a=Math.min(a,t),o=Math.min(o,n),s=Math.max(s,t),c=Math.max(c,n);Number.isFinite(a)&&f.fitBounds([[a,o],[s,c]],{padding:60,maxZoom:7,duration:0})},cut(e){f.getSource(`maritime-tracks`).setData({type:`FeatureCollection`,features:e.lines}),f.getSource(`maritime-heads`).setData({type:`FeatureCollection`,features:e.heads}),f.getSource(`maritime-events`).setData({type:`FeatureCollection`,features:e.events.map(e=>({type:`Feature`,geometry:{type:`Point`,coordinates:e.coordinates},properties:{k:e.k,name:e.properties.title,colour:Cc(e.properties.type)}}))}),d.__visible={vertices:e.vertices,lines:e.lines.length,heads:e.heads.length,events:e.events.length}},focusEvent(e){let t=v?.events[e];t&&(f.flyTo({center:t.coordinates,zoom:Math.max(f.getZoom(),8),duration:600}),b(t.coordinates,Ic(t)))}}}function Fc(e){let t=e.join(` `),n=[];return/TeleGeography/.test(t)&&n.push(`TeleGeography (CC BY-NC-SA 3.0, non-commercial)`),/PyPSA-Eur/.test(t)&&n.push(`PyPSA-Eur (CC-BY-4.0)`),j(`Undersea assets: ${n.join(`, `)||`see below`}; sources and licences in full under the map`)}function Ic(e){let t=e.properties;return`<strong>${j(t.title||wc(t.type))}</strong>
    <div class="muted">${j(wc(t.type))}${t.severity?`, severity ${j(t.severity)}`:``}<br>
    From ${j(xc(e.start))}<br>until ${j(Number.isNaN(e.end)?`-`:xc(e.end))}<br>
    ${t.asset?`Asset: ${j(t.asset)}<br>`:``}<a href="#/event/${j(t.id)}">The event and its evidence</a></div>
    <span class="mark">${j(t.banner)}</span>`}function Lc(e){let t=Array.isArray(e.countries)?e.countries.join(`, `):String(e.countries||``);return`<strong>${j(e.name)}</strong>
    <div class="muted">${j(e.kind)}${t?` (${j(t)})`:``}<br>
    Route accuracy: about ±${j(e.route_accuracy_km)} km<br>Route: ${j(e.route_source)}</div>`}function Rc(e){return`<strong>${j(e.name||`MMSI ${e.mmsi}`)}</strong>
    <div class="muted">MMSI ${j(e.mmsi)}${e.flag?`, flag ${j(e.flag)}`:``}${e.ship_type?`, ship type
    ${j(e.ship_type)}`:``}<br>${j(M(e.start_utc,0))} to ${j(M(e.end_utc,0))}<br>${N(e.fixes)}
    positions</div><span class="mark">${j(e.banner)}</span>`}var zc={red:`red (Pc ≥ 1e-4)`,yellow:`yellow (Pc ≥ 1e-5)`,green:`green (Pc < 1e-5)`,unknown:`unknown (no Pc)`},Bc={rising:`↑ rising`,falling:`↓ falling`,steady:`→ steady`},Vc={mitigate:`Mitigate (plan a manoeuvre)`,accept:`Accept the risk`,monitor:`Monitor`},Hc=e=>`<span class="level level-${j(e)}">${j(e)}</span>`,Uc=e=>e?j(Bc[e]||e):`<span class='muted'>-</span>`;async function Wc(e){e.innerHTML=`
    <h1>Tracked conjunctions</h1>
    <p class="muted">Each encounter once: the updates of successive screenings (the same pair, TCAs within 10 minutes)
      with their miss distance, Pc and trends, until a decision. Levels: red Pc ≥ 1e-4, yellow ≥ 1e-5.</p>
    <form class="filters" id="filters" aria-label="Filter tracked conjunctions">
      <label>NORAD id<input name="norad_id" type="number" min="1" step="1" inputmode="numeric"></label>
      <label>TCA from (UTC)<input name="since" type="text" data-utc inputmode="numeric" size="22"
        placeholder="2026-05-05T12:00:00Z" title="ISO 8601, UTC: a day, or a day and time"></label>
      <label>TCA until (UTC)<input name="until" type="text" data-utc inputmode="numeric" size="22"
        placeholder="2026-05-06" title="ISO 8601, UTC: a day, or a day and time"></label>
      <span id="count" class="muted" aria-live="polite"></span>
    </form>
    <table id="tracks"><thead></thead><tbody></tbody></table>`;let t={};await B({view:e,path:`/api/v1/conjunction-events`,table:e.querySelector(`#tracks`),form:e.querySelector(`#filters`),status:e.querySelector(`#count`),defaultSort:`-updated`,rowAttributes:e=>`class="link" tabindex="0" data-id="${j(e.id)}"`,prepare:async e=>{let n=await Ce([...new Set(e.flatMap(e=>e.norad_ids))],!0);return t=n.names,n.markings},columns:[{label:`Newest update`,sort:[`-updated`,`-updated`],cell:e=>`<span class="time">${j(M(e.last_linked_utc))}</span>`},{label:`TCA (UTC)`,sort:[`tca`,`-tca`],cell:e=>`<span class="time">${j(M(e.tca_utc))}</span>`},{label:`Pair`,sort:null,cell:e=>e.norad_ids.map(e=>`<a href="#/object/${j(e)}">${j(t[e]||`?`)}</a> <span class="muted">${j(e)}</span>`).join(`<br>`)},{label:`Updates`,sort:null,numeric:!0,cell:e=>String(e.updates)},{label:`Miss (km)`,sort:null,numeric:!0,cell:e=>e.miss_km.toFixed(3)},{label:`Pc`,sort:[`-pc`,`-pc`],descFirst:!0,numeric:!0,cell:e=>V(e)},{label:`Level`,sort:null,cell:e=>`${Hc(e.level)}${e.max_level===e.level?``:` <span class="muted">(was ${j(e.max_level)})</span>`}`},{label:`Pc trend`,sort:null,cell:e=>Uc(e.pc_trend)},{label:`Miss trend`,sort:null,cell:e=>Uc(e.miss_trend)},{label:`Status`,sort:null,cell:e=>j(e.status)+(e.decision?`: ${j(e.decision.decision)}`:``)},{label:`Marking`,sort:null,cell:e=>`<span class="mark">${j(e.marking.banner)}</span>`}]});let n=e.querySelector(`#tracks tbody`),r=e=>{e?.dataset.id&&(location.hash=`#/track/${e.dataset.id}`)};n.addEventListener(`click`,e=>{e.target.closest(`a`)||r(e.target.closest(`tr`))}),n.addEventListener(`keydown`,e=>{e.key===`Enter`&&!e.target.closest(`a`)&&r(e.target.closest(`tr`))})}async function Gc(e,t){let n=await y(`/api/v1/conjunction-events/${t}`),{names:r,markings:i}=await Ce(n.norad_ids,!0);await D(e,[n.marking,...n.history.map(e=>e.marking),...i]);let a=n.norad_ids.map(e=>`<a href="#/object/${e}">${j(r[e]||`?`)} (${e})</a>`).join(` – `),o=n.history[n.history.length-1];e.innerHTML=`
    <h1>Tracked conjunction ${j(r[n.primary_id]||n.primary_id)} – ${j(r[n.secondary_id]||n.secondary_id)}</h1>
    <div class="card">
      <dl class="evidence">
        <dt>Pair</dt><dd>${a}</dd>
        <dt>TCA (newest estimate, UTC)</dt><dd><b>${j(M(n.tca_utc))}</b></dd>
        <dt>Newest</dt><dd>miss <b>${n.miss_km.toFixed(3)} km</b>, Pc <b>${V(n)}</b>
          ${n.pc_basis?`<span class="muted">(${j(n.pc_basis)})</span>`:``}; level ${Hc(n.level)}
          ${n.max_level===n.level?``:`(highest so far: ${j(zc[n.max_level])})`}</dd>
        <dt>Trends (last 3 updates)</dt><dd>Pc ${Uc(n.pc_trend)}; miss ${Uc(n.miss_trend)}</dd>
        <dt>Status</dt><dd><b>${j(n.status)}</b>${n.decision?`: ${j(Vc[n.decision.decision])} by
          ${j(n.decision.by)} at ${j(M(n.decision.decided_utc))}: “${j(n.decision.note)}”
          <span class="mark">${j(n.decision.marking.banner)}</span>`:``}</dd>
        <dt>Updates</dt><dd>${n.updates}, data from ${j(M(n.first_epoch_utc))} to ${j(M(n.last_epoch_utc))};
          the newest is <a href="#/conjunction/${j(o.conjunction_id)}">conjunction ${j(o.conjunction_id)}</a>
          (geometry, distance plots, CDM)</dd>
      </dl>
      <p class="mark">${j(n.marking.banner)}</p>
    </div>
    <div class="plots">
      <div><h2>Pc by update</h2><div id="pc-history" role="img" aria-label="Pc of each update over the data time, UTC"></div></div>
      <div><h2>Miss distance by update</h2><div id="miss-history" role="img" aria-label="Miss distance of each update over the data time, UTC"></div></div>
    </div>
    <h2>History</h2>
    <table id="history"><thead><tr><th scope="col">#</th><th scope="col">Data time (UTC)</th><th scope="col">TCA (UTC)</th>
      <th scope="col" class="n">Miss (km)</th><th scope="col" class="n">Pc</th><th scope="col">Basis</th>
      <th scope="col">Level</th><th scope="col" class="n">Element-set ages at TCA (d)</th><th scope="col">Covariance</th>
      <th scope="col">CDM</th><th scope="col">Marking</th></tr></thead>
      <tbody>${n.history.map(e=>`<tr><td class="n">${e.seq}</td><td class="time">${j(M(e.epoch_utc))}</td>
        <td class="time">${j(M(e.tca_utc))}</td><td class="n">${e.miss_km.toFixed(3)}</td><td class="n">${V(e)}</td>
        <td title="${j((e.pc_flags||[]).join(`, `)||`no usage check failed`)}">${j(e.pc_basis||``)}</td>
        <td>${Hc(e.level)}</td><td class="n">${[e.primary_age_days,e.secondary_age_days].map(e=>e==null?`-`:e.toFixed(2)).join(` / `)}</td><td>${j((e.covariance_methods||[]).join(` / `))}</td>
        <td><a href="#/conjunction/${j(e.conjunction_id)}">${j(e.message_id||`open`)}</a></td>
        <td><span class="mark">${j(e.marking.banner)}</span></td></tr>`).join(``)}</tbody></table>
    <form class="card" id="decision" aria-labelledby="decision-title">
      <h2 id="decision-title">Decision</h2>
      <p class="muted">Recorded under the combined marking of the updates you see; it closes the event until an update
        reaches a higher level.</p>
      <div class="filters">
        <label>Decision<select name="decision">${Object.entries(Vc).map(([e,t])=>`<option value="${e}">${j(t)}</option>`).join(``)}</select></label>
        <label>Note<input name="note" required maxlength="4000" size="50" placeholder="reason, manoeuvre plan, contact"></label>
        <button type="submit">Record</button>
      </div>
      <p id="decision-status" role="status" aria-live="polite" class="muted"></p>
    </form>`,Kc(e.querySelector(`#pc-history`),n.history,e=>e.pc>0?e.pc:null,`Pc`,`#c8102e`,!0),Kc(e.querySelector(`#miss-history`),n.history,e=>e.miss_km,`miss (km)`,`#003399`,!1),e.querySelector(`#decision`).addEventListener(`submit`,async n=>{n.preventDefault();let r=Object.fromEntries(new FormData(n.target)),i=e.querySelector(`#decision-status`);try{let n=await y(`/api/v1/conjunction-events/${t}/decision`,{method:`POST`,body:r});await D(e,[n.marking]),await Gc(e,t),e.querySelector(`#decision-status`).textContent=`Recorded: ${n.decision.decision}; the event is ${n.status}.`}catch(e){i.textContent=`Not recorded: ${e.message}`}})}function Kc(e,t,n,r,i,a){let o=t.map(e=>Date.parse(M(e.epoch_utc))/1e3),s=t.map(n);s.some(e=>e!==null)?new Z({width:Math.max(320,e.clientWidth-10),height:240,tzDate:ie(Z),scales:{y:a?{distr:3}:{}},series:[{label:`UTC`,value:(e,t)=>t==null?`-`:M(t*1e3)},{label:r,stroke:i,width:1.5,points:{show:!0,size:7},value:(e,t)=>t==null?`-`:a?t.toExponential(2):t.toFixed(3)}],axes:[{label:`data time (UTC)`,values:F,size:60},{label:r,size:80,values:a?(e,t)=>t.map(e=>e.toExponential(0)):P}]},[o,s],e):e.innerHTML=`<p class="muted">No ${j(r)} in any update.</p>`}var qc=[``,`remote`,`very-unlikely`,`unlikely`,`roughly-even`,`likely`,`very-likely`,`almost-certain`],Jc=[`cause`,`techniques`,`software`,`sectors`,`services`,`kinds`],Yc=[`UNCLASSIFIED`,`RESTRICTED`,`CONFIDENTIAL`,`SECRET`,`TOP_SECRET`],Xc=[`CLEAR`,`GREEN`,`AMBER`,`AMBER+STRICT`,`RED`],Zc={space:`Space`,hybrid:`Hybrid`,cyber:`Cyber diplomacy`,fimi:`FIMI`},Qc=e=>`<span class="mark">${j(e.banner)}</span>`,$c=e=>String(e).split(/\s+/).join(` `);function el(e){return`<label>Classification<select name="${e}classification">${Yc.map(e=>`<option${e===`RESTRICTED`?` selected`:``}>${e}</option>`).join(``)}</select></label>
    <label>TLP<select name="${e}tlp">${Xc.map(e=>`<option${e===`AMBER`?` selected`:``}>${e}</option>`).join(``)}</select></label>
    <label>Releasable to (codes, comma-separated; empty: no restriction)<input name="${e}releasable_to" size="16"></label>
    <label>Need-to-know (comma-separated)<input name="${e}communities" size="10"></label>`}function tl(e,t=``){let n=e=>(e||``).split(`,`).map(e=>e.trim()).filter(Boolean),r=n(e[`${t}releasable_to`]);return{classification:e[`${t}classification`],tlp:e[`${t}tlp`],releasable_to:r.length?r:null,communities:n(e[`${t}communities`])}}function nl(e,t){let[n,r]=e.lead_time_days;return`<article class="card option" data-id="${j(e.id)}">
    <h3>${t}. ${j($c(e.name))} <span class="muted">(${j(e.category_name)}; ${j(e.toolbox)} toolbox)</span></h3>
    <dl class="facts"><dt>Instrument</dt><dd>${j(e.instrument)}</dd><dt>Legal basis</dt><dd>${j(e.basis)}</dd>
      <dt>Who decides</dt><dd>${j(e.decides)} (${j(e.rule)})</dd><dt>Lead time</dt><dd>${n}-${r} days</dd>
      <dt>Escalation</dt><dd>${e.escalation} of 5</dd><dt>Score</dt><dd>${e.score}</dd><dt>Cited</dt><dd>${j(e.citation)}</dd></dl>
    <p><b>Why</b></p><ul>${e.why.map(e=>`<li>${j(e)}</li>`).join(``)}</ul>
    ${e.precedents.length?`<p><b>Precedents</b></p><ul>${e.precedents.slice(0,2).map(e=>`<li>${j(e.done)}${e.source_url?` <a href="${j(e.source_url)}" rel="noreferrer noopener" target="_blank">source</a>`:``}</li>`).join(``)}</ul>`:``}
    ${e.countermeasures.length?`<p><b>Countermeasures</b>: ${e.countermeasures.slice(0,5).map(e=>j(`${e.framework} ${e.id} ${e.name}`)).join(`; `)}</p>`:``}
  </article>`}function rl(e){return`<article class="card response" data-id="${j(e.id)}">
    <h3>${j(e.workflow)}: ${j(e.state)}, at “${j(e.step_name)}” ${e.overdue?`<span class="error">overdue</span>`:``} ${Qc(e.marking)}</h3>
    <p>Owner: ${j(e.owner)}; deadline ${j(e.deadline_utc?M(e.deadline_utc,0):`-`)}. Options: ${e.decisions.map(e=>`${j(e.name||e.option)} (${j(e.decides)}, ${j(e.rule)}${e.awaiting?`, awaited`:``})`).join(`; `)||`-`}</p>
    <table><thead><tr><th scope="col">Step</th><th scope="col">Owner</th><th scope="col">Deadline</th><th scope="col">Reached</th></tr></thead>
      <tbody>${e.steps.map(e=>`<tr${e.current?` class="current"`:``}><td>${j(e.name)}${e.current?` (current)`:``}</td><td>${j(e.owner)}</td>
        <td class="time">${j(e.deadline_utc?M(e.deadline_utc,0):`-`)}</td><td>${e.reached?`yes`:``}</td></tr>`).join(``)}</tbody></table>
    <details><summary>History (${e.history.length})</summary><ul>${e.history.map(e=>`<li>${j(M(e.at_utc,0))} ${j(e.step_name)} by ${j(e.by)}: ${j(e.note)}${e.skipped&&e.skipped.length?` <span class="muted">(passed over: ${j(e.skipped.join(`, `))})</span>`:``} ${Qc(e.marking)}</li>`).join(``)}</ul></details>
    <form class="move filters" aria-label="Move this response to a step">
      <label>Step<select name="step">${e.steps.filter(e=>!e.current).map(e=>`<option value="${j(e.id)}">${j(e.name)}</option>`).join(``)}</select></label>
      <label>Note<input name="note" required maxlength="4000" size="30"></label>
      <button type="submit">Move</button><span class="muted move-status" role="status"></span>
    </form>
  </article>`}async function il(e,t){let[n,r,i]=await Promise.all([y(`/api/v1/events/${t}/options?top=20`),y(`/api/v1/events/${t}/attributions`),y(`/api/v1/responses?event_id=${encodeURIComponent(t)}`)]),a=i.items||[];await D(e,[n.marking,r.marking,...a.map(e=>e.marking)]);let o=n.event,s=n.coordination,c=n.ranking,l=new Date().toISOString().slice(0,10);e.innerHTML=`
    <p><a href="#/event/${j(o.id)}">The event</a> · <a href="#/events">All events</a></p>
    <h1>Respond: ${j(o.title||o.type)}</h1>
    <p class="muted">${j(o.domain)} ${j(o.type)}, ${j(M(o.start_utc,0))} to ${j(M(o.end_utc,0))}, severity
      ${j(o.severity)} ${Qc(o.marking)}. Options from the EU toolboxes (space, hybrid, cyber diplomacy, FIMI), ranked by
      explicit rules, each citing its basis. Kompas never computes an attribution: only member states' own records count.</p>
    <section class="card" aria-labelledby="attr-title">
      <h2 id="attr-title">Attribution state</h2>
      <p id="coordination"><b>${j(s?s.sentence:`no attribution you may see`)}</b> ${s?Qc(s.marking):``}</p>
      ${r.items.length?`<table id="attributions"><thead><tr><th scope="col">State</th><th scope="col">Attributes to</th>
        <th scope="col">Confidence</th><th scope="col">Public</th><th scope="col">Date</th><th scope="col">Basis</th><th scope="col">Marking</th></tr></thead>
        <tbody>${r.items.map(e=>`<tr><td>${j(e.state)}</td><td>${j(e.actor)}</td><td>${j(e.confidence||`-`)}</td>
          <td>${e.public?`yes`:`no`}</td><td>${j(e.date)}</td><td>${j(e.basis)}</td><td>${Qc(e.marking)}</td></tr>`).join(``)}</tbody></table>`:``}
      <form id="attribute" class="filters" aria-label="Record your state's assessment">
        <label>Attributes to<input name="actor" required maxlength="100" size="8" placeholder="RU, none, withheld"></label>
        <label>Confidence<select name="confidence">${qc.map(e=>`<option value="${e}">${e||`(none/withheld)`}</option>`).join(``)}</select></label>
        <label>Basis<input name="basis" required maxlength="4000" size="30"></label>
        <label>Date<input name="date" required pattern="\\d{4}-\\d{2}-\\d{2}" value="${l}" size="11"></label>
        <label><input type="checkbox" name="public"> said publicly</label>
        ${el(``)}
        <button type="submit">Record</button>
      </form>
      <p id="attribute-status" role="status" aria-live="polite" class="muted"></p>
    </section>
    <section class="card" aria-labelledby="findings-title">
      <h2 id="findings-title">Findings (${(n.findings||[]).length})</h2>
      <p class="muted">Facts the detecting engine cannot know (the cause of a break-up is not in the element sets), recorded
        by analysts with their basis; those you may see enter the ranking below.</p>
      ${(n.findings||[]).length?`<table id="findings"><thead><tr><th scope="col">Field</th><th scope="col">Value</th><th scope="col">By</th>
        <th scope="col">Recorded</th><th scope="col">Basis</th><th scope="col">Marking</th></tr></thead>
        <tbody>${n.findings.map(e=>`<tr><td>${j(e.field)}</td><td>${j(Array.isArray(e.value)?e.value.join(`, `):e.value)}</td>
          <td>${j(e.org)}</td><td class="time">${j(M(e.recorded_utc,0))}</td><td>${j(e.basis)}</td><td>${Qc(e.marking)}</td></tr>`).join(``)}</tbody></table>`:``}
      <form id="finding" class="filters" aria-label="Record a finding">
        <label>Field<select name="field">${Jc.map(e=>`<option value="${e}">${e}</option>`).join(``)}</select></label>
        <label>Value<input name="value" required maxlength="1000" size="22" placeholder="direct-ascent-asat; or a, b"></label>
        <label>Basis<input name="basis" required maxlength="4000" size="30"></label>
        ${el(``)}
        <button type="submit">Record</button>
      </form>
      <p id="finding-status" role="status" aria-live="polite" class="muted"></p>
    </section>
    <section aria-labelledby="options-title">
      <h2 id="options-title">Options (${c.proposals.length}), best first</h2>
      <div id="options">${c.proposals.map((e,t)=>nl(e,t+1)).join(``)||`<p>No option is proposed for this event.</p>`}</div>
      ${c.excluded.length?`<details><summary>Left out (${c.excluded.length})</summary><ul id="excluded">${c.excluded.map(e=>`<li><b>${j(e.id)}</b>: ${j(e.why.join(` `))}</li>`).join(``)}</ul></details>`:``}
      ${n.notes.length?`<p class="muted">${n.notes.map(j).join(`; `)}</p>`:``}
    </section>
    <section class="card" aria-labelledby="responses-title">
      <h2 id="responses-title">Responses (${a.length})</h2>
      <div id="responses">${a.map(rl).join(``)||`<p>No response opened on this event yet.</p>`}</div>
      <form id="open" class="filters" aria-label="Open a response">
        <label>Toolbox<select name="toolbox">${Object.entries(Zc).map(([e,t])=>`<option value="${e}">${j(t)}</option>`).join(``)}</select></label>
        <label>Options (ids, comma-separated)<input name="options" size="40" value="${j(c.proposals.slice(0,2).map(e=>e.id).join(`, `))}"></label>
        <label>Note<input name="note" maxlength="4000" size="24"></label>
        ${el(``)}
        <button type="submit">Open</button>
      </form>
      <p id="open-status" role="status" aria-live="polite" class="muted"></p>
    </section>
    <section class="card" aria-labelledby="paper-title">
      <h2 id="paper-title">Options paper</h2>
      <p class="muted">The incident, what is known and unknown, the attribution state you may see, the options by category
        with legal basis, pros, cons, lead time and precedents, and the decision awaited; marked with everything it used.</p>
      <form id="paper" class="filters"><label>Format<select name="format"><option value="pdf">PDF</option><option value="html">HTML</option></select></label>
        <button type="submit">Generate</button></form>
      <p id="paper-status" role="status" aria-live="polite" class="muted"></p>
    </section>`;let u=()=>il(e,t),d=e=>Object.fromEntries(new FormData(e));e.querySelector(`#attribute`).addEventListener(`submit`,async n=>{n.preventDefault();let r=d(n.target),i=e.querySelector(`#attribute-status`);try{await y(`/api/v1/events/${t}/attributions`,{method:`POST`,body:{actor:r.actor,confidence:r.confidence,basis:r.basis,date:r.date,public:r.public===`on`,marking:tl(r)}}),await u(),e.querySelector(`#attribute-status`).textContent=`Recorded.`}catch(e){i.textContent=`Refused: ${e.message}`}}),e.querySelector(`#finding`).addEventListener(`submit`,async n=>{n.preventDefault();let r=d(n.target),i=e.querySelector(`#finding-status`),a=r.value.split(`,`).map(e=>e.trim()).filter(Boolean);try{await y(`/api/v1/events/${t}/findings`,{method:`POST`,body:{field:r.field,value:r.field===`cause`?r.value.trim():a,basis:r.basis,marking:tl(r)}}),await u(),e.querySelector(`#finding-status`).textContent=`Recorded.`}catch(e){i.textContent=`Refused: ${e.message}`}}),e.querySelector(`#open`).addEventListener(`submit`,async n=>{n.preventDefault();let r=d(n.target),i=e.querySelector(`#open-status`);try{await y(`/api/v1/responses`,{method:`POST`,body:{event_id:t,toolbox:r.toolbox,options:r.options.split(`,`).map(e=>e.trim()).filter(Boolean),note:r.note,marking:tl(r)}}),await u(),e.querySelector(`#open-status`).textContent=`Opened.`}catch(e){i.textContent=`Refused: ${e.message}`}});for(let t of e.querySelectorAll(`form.move`))t.addEventListener(`submit`,async e=>{e.preventDefault();let t=d(e.target),n=e.target.closest(`.response`).dataset.id;try{await y(`/api/v1/responses/${n}/steps`,{method:`POST`,body:{step:t.step,note:t.note}}),await u()}catch(t){e.target.querySelector(`.move-status`).textContent=`Refused: ${t.message}`}});e.querySelector(`#paper`).addEventListener(`submit`,async n=>{n.preventDefault();let r=e.querySelector(`#paper-status`);try{let i=await y(`/api/v1/events/${t}/paper`,{method:`POST`,body:d(n.target)});r.textContent=`Queued…`;for(let t=500;e.isConnected&&i.status!==`done`&&i.status!==`failed`;t=Math.min(t*1.5,3e3))await new Promise(e=>setTimeout(e,t)),i=await y(i.href),r.textContent=i.status===`running`?`Running…`:r.textContent;if(i.status===`failed`){r.textContent=`Failed: ${i.error}`;return}await D(e,[i.marking]),r.innerHTML=`Ready ${Qc(i.marking)} <button type="button" id="paper-download">Download</button>`,e.querySelector(`#paper-download`).addEventListener(`click`,async()=>{let e=await y(i.file,{raw:!0});Da(i.filename||`options-paper`,await e.blob())})}catch(e){r.textContent=`Refused: ${e.message}`}})}var al=[`space`,`fimi`,`cyber`,`infra`,`maritime`,`intel`,`mobility`,`forces`,`isac`],ol={space:`#1f77b4`,fimi:`#d6338a`,cyber:`#7b2cbf`,infra:`#c77700`,maritime:`#0b6e99`,intel:`#2e7d32`,mobility:`#8c564b`,forces:`#c8102e`,isac:`#5f6b7a`},sl={space:`Space`,fimi:`FIMI`,cyber:`Cyber`,infra:`Infrastructure`,maritime:`Maritime`,intel:`Intelligence`,mobility:`Military mobility`,forces:`Forces`,isac:`ISAC`},cl={"":`Anywhere`,baltic:`The Baltic Sea (box)`,"north-sea":`The North Sea (box)`,"black-sea":`The Black Sea (box)`,mediterranean:`The Mediterranean (box)`,eu:`The EU member states`},ll={high:6,medium:4.5,low:3},ul=5,dl=3,fl=[`match`,[`geometry-type`],[`Point`,`MultiPoint`],!0,!1],pl=[`match`,[`geometry-type`],[`LineString`,`MultiLineString`],!0,!1],ml=[`match`,[`geometry-type`],[`Polygon`,`MultiPolygon`],!0,!1],hl=`<style>
  .fusion-wrap { display: grid; grid-template-columns: minmax(0, 1fr) 18em; gap: 1em; height: 520px; }
  .fusion-wrap .map { position: relative; border: 1px solid var(--line, #ccc); border-radius: 4px; overflow: hidden;
    background: #cddbe6; }
  .fusion-side { overflow: auto; margin: 0; }
  .fusion-timeline svg { width: 100%; background: white; border: 1px solid var(--line, #ccc); display: block; }
  .fusion-timeline .band { cursor: pointer; } .fusion-timeline .dot { cursor: pointer; }
  .fusion-situations tr.chosen, .fusion-events tr.chosen { background: #fff4c2; }
  .fusion-reasons { margin: .3em 0; padding-left: 1.2em; } .fusion-reasons li { margin: .15em 0; }
  .fusion-domains { border: 0; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: .2em .8em; }
  .fusion-domains legend { font-size: .9em; color: var(--muted); padding: 0; }
  @media (max-width: 900px) { .fusion-wrap { grid-template-columns: 1fr; height: auto; }
    .fusion-wrap .map { height: 420px; } }
</style>`,gl=e=>new Promise(t=>setTimeout(t,e*1e3)),_l=e=>ol[e]||`#555555`,vl=e=>Date.parse(M(e));function yl(e){return typeof e==`string`?e:Array.isArray(e)?e.map(e=>e&&typeof e==`object`?e.field?`${e.field}: ${e.reason}`:`${(e.loc||[]).filter(e=>e!==`query`).join(`.`)}: ${e.msg??``}`:String(e)).join(`; `):JSON.stringify(e)}async function bl(e){let t;for(let n=0;t=await fetch(e,{headers:{Authorization:`Bearer ${r()??``}`}}),!(t.status!==429&&t.status!==503||n===dl);n+=1)await gl(Math.min(Math.max(Number(t.headers.get(`Retry-After`))||1,1),10));if(t.status===401)throw new n(`sign in again`);if(!t.ok){let e=t.statusText;try{e=yl((await t.json()).detail)}catch{}throw Error(`${e} (HTTP ${t.status})`)}return t.json()}async function xl(e){let t=new URLSearchParams(location.hash.split(`?`)[1]||``),r={loading:0,stopped:!1,answer:null,map:null,chosen:null};e.innerHTML=`${hl}
    <h1>Fused picture: every domain, linked into situations</h1>
    <p class="muted">The events of every domain that you may see, on one timeline and one map, and the situations
      they form: events are linked when they name the same actor, are placed near each other at about the same
      time, or concern a common country at about the same time (the rule is stated under the situations). Each
      situation carries the combined marking of its events. Times are UTC.</p>
    <form class="filters card" id="fusion-form" aria-label="Filters of the fused picture">
      <label>From (UTC)<input name="since" type="text" data-utc inputmode="numeric" size="20"
        placeholder="2024-12-01" title="ISO 8601, UTC: a day, or a day and time; empty: from the first"></label>
      <label>Until (UTC)<input name="until" type="text" data-utc inputmode="numeric" size="20"
        placeholder="2025-01-01" title="ISO 8601, UTC: a day, or a day and time; empty: to the last"></label>
      <fieldset class="fusion-domains"><legend>Domains (none ticked: all)</legend>${al.map(e=>`<label
        class="check"><input type="checkbox" name="domain" value="${e}"> ${j(sl[e])}</label>`).join(``)}
      </fieldset>
      <label>Severity at least<select name="severity"><option value="">any</option><option>low</option>
        <option>medium</option><option>high</option></select></label>
      <label>Region<select name="region">${Object.entries(cl).map(([e,t])=>`<option value="${e}">${j(t)}
        </option>`).join(``)}</select></label>
      <label>Countries<input name="country" type="text" size="14" maxlength="300" placeholder="FI, EE"
        title="ISO 3166 codes or English names, separated by commas"></label>
      <label>Actor<input name="actor" type="search" size="16" maxlength="200" placeholder="EAGLE S"
        title="An actor's id or name (any case), or kind:id"></label>
      <label>Events at most<input name="limit" type="number" min="1" max="5000" step="1" value="1000"></label>
      <label>Place within (km)<input name="km" type="number" min="0" max="2000" step="any" value="50"></label>
      <label>Time within (h)<input name="hours" type="number" min="0" max="8760" step="any" value="72"></label>
      <button type="submit">Show</button>
      <span id="fusion-status" class="muted" role="status" aria-live="polite"></span>
    </form>
    <div id="fusion-summary" aria-live="polite"><p class="muted">Loading…</p></div>
    <section aria-labelledby="fusion-timeline-title">
      <h2 id="fusion-timeline-title">Timeline</h2>
      <div class="fusion-timeline" role="img" aria-label="The events over time, a lane per domain; the situations as
        shaded bands"><svg id="fusion-timeline"></svg></div>
    </section>
    <section aria-labelledby="fusion-map-title">
      <h2 id="fusion-map-title">Map</h2>
      <div class="fusion-wrap">
        <div class="map" id="fusion-map" role="application" aria-label="Map of the events with a place and of the
          situations"></div>
        <aside class="card fusion-side" aria-label="Legend">
          <h3>Domains</h3><ul class="map-legend" id="fusion-legend"></ul>
          <p class="muted">Dots: events (larger: more severe). Shaded areas and ringed dots: situations (the hull and
            the centre of their events' places). Point at an item for its name; click it for its details.</p>
          <p class="muted" id="fusion-boundaries">Country boundaries: loading…</p>
        </aside>
      </div>
    </section>
    <section aria-labelledby="fusion-situations-title">
      <h2 id="fusion-situations-title">Situations</h2>
      <p class="muted" id="fusion-rule"></p>
      <table id="fusion-situations" class="fusion-situations"><thead><tr><th scope="col">#</th>
        <th scope="col">Events</th><th scope="col">Severity</th><th scope="col">From (UTC)</th>
        <th scope="col">To (UTC)</th><th scope="col">Domains</th><th scope="col">Countries</th>
        <th scope="col">Title</th><th scope="col">Marking</th></tr></thead>
        <tbody><tr><td colspan="9" class="muted">Loading…</td></tr></tbody></table>
      <section id="fusion-situation" class="card" hidden aria-live="polite"></section>
    </section>
    <section aria-labelledby="fusion-events-title">
      <h2 id="fusion-events-title">Events</h2>
      <table id="fusion-events" class="fusion-events"><thead><tr><th scope="col">Time (UTC)</th>
        <th scope="col">Severity</th><th scope="col">Domain</th><th scope="col">Type</th><th scope="col">Title</th>
        <th scope="col">Situation</th><th scope="col">Marking</th></tr></thead>
        <tbody><tr><td colspan="7" class="muted">Loading…</td></tr></tbody></table>
    </section>`;let i=e.querySelector(`#fusion-form`),a=e.querySelector(`#fusion-status`);for(let e of i.elements)e.name&&t.has(e.name)&&(e.type===`checkbox`?e.checked=t.getAll(e.name).includes(e.value):e.value=t.getAll(e.name).join(`, `));let o=()=>{let e=new URLSearchParams,t=i.elements;for(let n of[`since`,`until`]){let r=t[n].value.trim();if(t[n].removeAttribute(`aria-invalid`),!r)continue;let i=I(r);if(!i)return t[n].setAttribute(`aria-invalid`,`true`),null;e.set(n,i)}for(let t of i.querySelectorAll(`input[name=domain]:checked`))e.append(`domain`,t.value);for(let n of[`severity`,`region`,`actor`])t[n].value.trim()&&e.set(n,t[n].value.trim());for(let n of t.country.value.split(`,`).map(e=>e.trim()).filter(Boolean))e.append(`country`,n);for(let n of[`limit`,`km`,`hours`])t[n].value!==``&&e.set(n,t[n].value);return e},s=e=>{let t=new URLSearchParams(e);for(let[e,n]of[[`limit`,`1000`],[`km`,`50`],[`hours`,`72`]])t.get(e)===n&&t.delete(e);history.replaceState(null,``,`#/fusion${t.toString()?`?${t}`:``}`)},c=async t=>{if(t instanceof n)throw t;await D(e,[]).catch(()=>{}),!r.stopped&&e.isConnected&&(a.innerHTML=`<span class="error" role="alert">Not shown: ${j(t.message)}</span>`,r.answer||(e.querySelector(`#fusion-summary`).innerHTML=``,e.querySelector(`#fusion-situations tbody`).innerHTML=`<tr><td colspan="9" class="muted">Nothing shown.
        </td></tr>`,e.querySelector(`#fusion-events tbody`).innerHTML=`<tr><td colspan="7" class="muted">Nothing shown.
        </td></tr>`))},l=async()=>{let t=o();if(!t){a.innerHTML=`<span class="error" role="alert">A time is ISO 8601 UTC: 2024-12-25 or
        2024-12-25T09:30:00Z.</span>`;return}let n=++r.loading;s(t),a.textContent=`Loading…`;let i;try{i=await bl(`/api/v1/fusion/picture?${t}`)}catch(e){n===r.loading&&await c(e);return}n!==r.loading||r.stopped||(await D(e,[i.marking]),n===r.loading&&!r.stopped&&e.isConnected&&(a.textContent=``,r.answer=Sl(i),r.chosen=null,u()))},u=()=>{let t=r.answer;e.querySelector(`#fusion-summary`).innerHTML=Cl(t),e.querySelector(`#fusion-legend`).innerHTML=al.filter(e=>t.counts.domain?.[e]).map(e=>`<li>
      <span class="swatch point" style="background:${_l(e)}" aria-hidden="true"></span>${j(sl[e])}
      (${N(t.counts.domain[e])})</li>`).join(``)||`<li class="muted">No event</li>`,e.querySelector(`#fusion-rule`).textContent=`${t.rule.text} Situations of at least ${t.min_events}
      events are listed.`.replace(/\s*\n\s*/g,` `),p(),m(),v(),r.map?.show(t),g()},d=e.querySelector(`#fusion-situations`),f=e.querySelector(`#fusion-events`),p=()=>{let e=r.answer.situations;d.tBodies[0].innerHTML=e.map((e,t)=>`<tr class="link" tabindex="0" data-k="${t}"
      data-id="${j(e.id)}"><td>${t+1}</td><td>${N(e.size)}</td><td class="sev-${j(e.severity)}">${j(e.severity)}</td><td class="time">${j(M(e.start_utc,0))}</td><td class="time">${j(M(e.end_utc,0))}</td>
      <td>${e.domains.map(e=>j(sl[e]||e)).join(`, `)}</td><td>${j(e.countries.slice(0,8).join(`, `))}${e.countries_total>8?`…`:``}</td><td>${j(e.title)}</td><td><span class="mark">${j(e.marking.banner)}
      </span></td></tr>`).join(``)||`<tr><td colspan="9" class="muted">No situation: no two events you may see
      are linked by the rule (widen the window, the place or the time).</td></tr>`,d.dataset.rows=String(e.length)},m=()=>{let e=r.answer.events;f.tBodies[0].innerHTML=e.map((e,t)=>`<tr data-k="${t}" data-id="${j(e.id)}"
      data-situation="${j(e.situation_id||``)}"><td class="time">${j(M(e.time_utc,0))}</td>
      <td class="sev-${j(e.severity)}">${j(e.severity)}</td><td><span class="swatch point" style="background:${_l(e.domain)}" aria-hidden="true"></span> ${j(sl[e.domain]||e.domain)}</td><td>${j(e.type)}</td>
      <td><a href="#/event/${j(e.id)}">${j(e.title)}</a></td><td>${e.situation_id?`<button type="button"
      class="linkish" data-situation="${j(e.situation_id)}">#${r.answer.number[e.situation_id]}</button>`:`-`}</td><td><span class="mark">${j(e.marking.banner)}</span></td></tr>`).join(``)||`<tr><td colspan="7" class="muted">No event you may see matches these filters.</td></tr>`,f.dataset.rows=String(e.length)},h=e=>{r.chosen=r.chosen===e?null:e,g()};d.addEventListener(`click`,e=>{let t=e.target.closest(`tr[data-id]`);t&&h(t.dataset.id)}),d.addEventListener(`keydown`,e=>{let t=e.target.closest(`tr[data-id]`);t&&(e.key===`Enter`||e.key===` `)&&(e.preventDefault(),h(t.dataset.id))}),f.addEventListener(`click`,e=>{let t=e.target.closest(`button[data-situation]`);t&&h(t.dataset.situation)});let g=()=>{let t=r.answer,n=r.chosen;for(let e of d.querySelectorAll(`tr[data-id]`))e.classList.toggle(`chosen`,e.dataset.id===n),e.setAttribute(`aria-selected`,String(e.dataset.id===n));for(let e of f.querySelectorAll(`tr[data-id]`))e.classList.toggle(`chosen`,!!n&&e.dataset.situation===n);for(let t of e.querySelectorAll(`#fusion-timeline [data-situation]`))t.classList.toggle(`chosen`,!!n&&t.dataset.situation===n),t.classList.contains(`dot`)&&t.setAttribute(`stroke`,n&&t.dataset.situation===n?`#000`:`#fff`),t.classList.contains(`band`)&&t.setAttribute(`fill-opacity`,t.dataset.situation===n?`0.3`:`0.1`);r.map?.choose(n);let i=e.querySelector(`#fusion-situation`),a=n?t.situations.find(e=>e.id===n):null;i.hidden=!a,i.innerHTML=a?Tl(a,t):``},_=e.querySelector(`#fusion-timeline`),v=()=>{let e=r.answer,t=_.clientWidth||900,n=al.filter(t=>e.counts.domain?.[t]),i=10+Math.max(1,n.length)*30+34;if(_.setAttribute(`viewBox`,`0 0 ${t} ${i}`),_.setAttribute(`height`,String(i)),!e.events.length){_.innerHTML=`<text x="12" y="28" font-size="12" fill="#666">No event to draw.</text>`,_.dataset.dots=`0`;return}let[a,o]=[e.first,e.last];o-a<36e5&&(a-=18e5,o+=18e5);let s=(o-a)*.02;[a,o]=[a-s,o+s];let c=e=>110+(t-110-12)*(e-a)/(o-a),l=e=>10+(n.indexOf(e)+.5)*30,u=n.map(e=>`<text x="6" y="${l(e)+4}" font-size="12" fill="${_l(e)}">${j(sl[e]||e)}
      </text><line x1="110" x2="${t-12}" y1="${l(e)}" y2="${l(e)}" stroke="#e3e6ea"/>`);e.situations.forEach(t=>{let r=t.domains.map(e=>n.indexOf(e)).filter(e=>e>=0),[i,a]=[Math.min(...r),Math.max(...r)],o=c(vl(t.start_utc)),s=Math.max(6,c(vl(t.end_utc))-o);u.push(`<rect class="band" data-situation="${j(t.id)}" x="${(o-3).toFixed(1)}" y="${10+i*30+3}"
        width="${(s+6).toFixed(1)}" height="${(a-i+1)*30-6}" rx="4" fill="#f0a000" fill-opacity="0.1"
        stroke="#c08000" stroke-dasharray="3 2"><title>Situation #${e.number[t.id]}: ${j(t.title)}</title></rect>`)}),e.events.forEach(e=>{let[t,n,r]=[c(vl(e.start_utc)),c(vl(e.end_utc)),c(vl(e.time_utc))];n-t>2&&u.push(`<line x1="${t.toFixed(1)}" x2="${n.toFixed(1)}" y1="${l(e.domain)}" y2="${l(e.domain)}"
          stroke="${_l(e.domain)}" stroke-width="2" stroke-opacity="0.5"/>`),u.push(`<circle class="dot" data-id="${j(e.id)}" data-situation="${j(e.situation_id||``)}"
        cx="${r.toFixed(1)}" cy="${l(e.domain)}" r="${ll[e.severity]||4}" fill="${_l(e.domain)}"
        stroke="#fff" stroke-width="1.5"><title>${j(M(e.time_utc,0))} ${j(e.title)} (${j(e.severity)})
        </title></circle>`)});let d=10+n.length*30;for(let e=0;e<=6;e+=1){let t=a+(o-a)*e/6,n=o-a>3456e5?M(t).slice(0,10):`${M(t).slice(0,16)}Z`,r=e===0?`start`:e===6?`end`:`middle`;u.push(`<line x1="${c(t).toFixed(1)}" x2="${c(t).toFixed(1)}" y1="${d}" y2="${d+5}" stroke="#888"/>
        <text x="${c(t).toFixed(1)}" y="${d+18}" font-size="11" text-anchor="${r}" fill="#444">${j(n)}
        </text>`)}_.innerHTML=u.join(``),_.dataset.dots=String(e.events.length)};return _.addEventListener(`click`,e=>{let t=e.target.closest(`[data-situation]`);t?.dataset.situation&&h(t.dataset.situation)}),i.addEventListener(`submit`,e=>{e.preventDefault(),l()}),El(e,r,h).then(e=>{r.stopped?e?.remove():(r.map=e,e&&r.answer&&(e.show(r.answer),e.choose(r.chosen)))}).catch(async t=>{if(t instanceof n)return;await D(e,[]).catch(()=>{});let r=e.querySelector(`#fusion-boundaries`);r&&e.isConnected&&(r.innerHTML=`<span class="error" role="alert">The map could not be drawn: ${j(t.message)}</span>`)}).catch(()=>{}),await l(),()=>{r.stopped=!0,r.map?.remove()}}function Sl(e){let t={};e.situations.forEach((e,n)=>{t[e.id]=n+1});let n=1/0,r=-1/0;for(let t of e.events)n=Math.min(n,vl(t.start_utc),vl(t.time_utc)),r=Math.max(r,vl(t.end_utc),vl(t.time_utc));return{...e,number:t,first:n,last:r}}function Cl(e){let t=[];return e.truncated&&t.push(`More events match than the ${N(e.events_returned)} used (newest first): narrow the filters or
      raise "Events at most" (up to 5000).`),e.unplaced&&t.push(`${N(e.unplaced)} event(s) have no place on Earth (e.g. FIMI and cyber incidents, objects in
      orbit): on the timeline and in the tables, not on the map.`),e.kept_apart_total&&t.push(`${N(e.kept_apart_total)} pair(s) of events the rule links were kept apart: together they would
      carry a marking you could not read (their releasability lists share none of your codes).`),`<p id="fusion-counts"><strong>${N(e.events_returned)}</strong> event(s)${e.events_total!==null&&e.events_total!==void 0?` of ${N(e.events_total)} matching`:``}, <strong>${N(e.situations_total)}</strong> situation(s). <span class="mark">${j(e.banner)}</span></p>
    ${t.map(e=>`<p class="muted">${j(e.replace(/\s*\n\s*/g,` `))}</p>`).join(``)}`}function wl(e){let t=e.hours?`${Number(e.hours).toFixed(1)} h apart`:`at the same time`;return e.rule===`actor`?`the same ${e.kind||`actor`}: ${e.name||e.id} (${t})`:e.rule===`place`?`${Number(e.km).toFixed(1)} km apart, ${t}`:e.rule===`country`?`both concern ${(e.countries||[]).join(`, `)} (${t})`:JSON.stringify(e)}function Tl(e,t){let n=Object.fromEntries(t.events.map(e=>[e.id,e.title])),r=e=>`<a href="#/event/${j(e)}">${j(n[e]||e)}</a>`;return`<h3>Situation #${t.number[e.id]}: ${j(e.title)}</h3>
    <p class="mark">${j(e.marking.banner)}</p>
    <p>${N(e.size)} events, ${j(M(e.start_utc,0))} to ${j(M(e.end_utc,0))}; severity
      <span class="sev-${j(e.severity)}">${j(e.severity)}</span>; ${e.domains.map(e=>j(sl[e]||e)).join(`, `)}${e.countries.length?`; ${j(e.countries.join(`, `))}`:``}${e.centroid?`; centred at
      ${e.centroid.lat.toFixed(3)}° N, ${e.centroid.lon.toFixed(3)}° E`:``}.</p>
    ${e.actors.length?`<p>Actors: ${e.actors.slice(0,12).map(e=>`${j(e.name||e.id)} <span class="muted">(${j(e.kind)}, ${e.events} event${e.events>1?`s`:``})</span>`).join(`, `)}${e.actors_total>12?`…`:``}
      </p>`:``}
    <h4>How its events were linked</h4>
    <ul class="fusion-reasons">${e.links.map(e=>`<li>${r(e.a)} and ${r(e.b)}: ${e.reasons.map(wl).map(j).join(`; `)}</li>`).join(``)}</ul>`}async function El(e,t,r){let[{Map:i,NavigationControl:a,Popup:o,ScaleControl:s,setWorkerUrl:c},l]=await Promise.all([z(()=>import(`./maplibre-gl-BUwiJpK_.js`),[]),z(()=>import(`./maplibre-gl-worker-BmsAK4Ca.js`),[]),z(()=>Promise.resolve({}),__vite__mapDeps([5])),z(()=>Promise.resolve({}),__vite__mapDeps([6]))]);if(c(l.default),t.stopped||!e.isConnected)return null;let{layers:u}=await bl(`/api/v1/map/layers`),d=u.find(e=>e.id===`boundaries`),f=e.querySelector(`#fusion-map`),p=new i({container:f,style:{version:8,sources:{},layers:[{id:`sea`,type:`background`,paint:{"background-color":`#cddbe6`}}]},bounds:[[-12,34],[42,71]],attributionControl:{compact:!1},dragRotate:!1,pitchWithRotate:!1,touchPitch:!1,maxZoom:14,fadeDuration:0});if(p.keyboard.enable(),p.addControl(new a({showCompass:!1}),`top-left`),p.addControl(new s({unit:`metric`}),`bottom-left`),f.__map=p,await new Promise((e,t)=>{p.once(`load`,e),p.once(`error`,e=>t(Error(`the map could not start: ${e.error?.message||e}`)))}),t.stopped||!e.isConnected)return p.remove(),null;let m=()=>({type:`FeatureCollection`,features:[]});for(let e of[`fusion-hulls`,`fusion-events`,`fusion-centres`])p.addSource(e,{type:`geojson`,data:m()});p.addLayer({id:`hulls-fill`,type:`fill`,source:`fusion-hulls`,filter:ml,paint:{"fill-color":`#f0a000`,"fill-opacity":[`case`,[`get`,`chosen`],.35,.12]}}),p.addLayer({id:`hulls-line`,type:`line`,source:`fusion-hulls`,filter:[`any`,ml,pl],paint:{"line-color":`#c08000`,"line-width":[`case`,[`get`,`chosen`],4,2],"line-dasharray":[2,1]}}),p.addLayer({id:`events-point`,type:`circle`,source:`fusion-events`,filter:fl,paint:{"circle-radius":[`get`,`radius`],"circle-color":[`get`,`colour`],"circle-opacity":.9,"circle-stroke-color":[`case`,[`get`,`chosen`],`#000000`,`#ffffff`],"circle-stroke-width":[`case`,[`get`,`chosen`],2.5,1.5]}}),p.addLayer({id:`centres-point`,type:`circle`,source:`fusion-centres`,paint:{"circle-radius":[`case`,[`get`,`chosen`],11,9],"circle-color":`rgba(0,0,0,0)`,"circle-stroke-color":`#c08000`,"circle-stroke-width":3}}),d&&bl(d.href).then(async n=>{await D(e,[n.marking]),!t.stopped&&e.isConnected&&(p.addSource(`boundaries`,{type:`geojson`,data:n,attribution:j(d.attribution)}),p.addLayer({id:`boundaries-fill`,type:`fill`,source:`boundaries`,paint:{"fill-color":d.fill||`#f3f1ea`}},`hulls-fill`),p.addLayer({id:`boundaries-line`,type:`line`,source:`boundaries`,paint:{"line-color":d.colour||`#8a96a3`,"line-width":.6}},`hulls-fill`),e.querySelector(`#fusion-boundaries`).textContent=`Country boundaries: ${N(n.features.length)}
        countries (Natural Earth, public domain).`)}).catch(async t=>{if(t instanceof n)return;await D(e,[]).catch(()=>{});let r=e.querySelector(`#fusion-boundaries`);r&&(r.innerHTML=`<span class="error">Country boundaries could not be loaded: ${j(t.message)}</span>`)});let h=Object.assign(document.createElement(`div`),{className:`map-tooltip`,hidden:!0});f.append(h);let g=[`events-point`,`centres-point`,`hulls-line`,`hulls-fill`],_=null,v=null,y=null,b=e=>{let t=p.queryRenderedFeatures([[e.x-ul,e.y-ul],[e.x+ul,e.y+ul]],{layers:g.filter(e=>p.getLayer(e))});return t.sort((e,t)=>g.indexOf(e.layer.id)-g.indexOf(t.layer.id)),t[0]||null};p.on(`mousemove`,e=>{let t=_?b(e.point):null;h.hidden=!t,p.getCanvas().style.cursor=t?`pointer`:``,t&&(h.textContent=t.properties.name||``,h.style.left=`${e.point.x+12}px`,h.style.top=`${e.point.y+12}px`)}),p.getCanvas().addEventListener(`mouseleave`,()=>{h.hidden=!0}),p.on(`click`,e=>{let t=_?b(e.point):null;if(t){if(t.layer.id===`events-point`){let n=_.events[Number(t.properties.k)];y?.remove(),y=new o({maxWidth:`340px`,focusAfterOpen:!1}).setLngLat(e.lngLat).setHTML(Dl(n,_)).addTo(p),f.__popup=y,y.getElement().querySelector(`button[data-situation]`)?.addEventListener(`click`,e=>{r(e.target.dataset.situation)})}else t.properties.situation&&r(t.properties.situation)}});let x=()=>{let e=[];_.events.forEach((t,n)=>{let r=t.place||{};r.lat!==void 0&&r.lat!==null&&e.push({type:`Feature`,geometry:{type:`Point`,coordinates:[r.lon,r.lat]},properties:{k:n,name:t.title,colour:_l(t.domain),radius:(ll[t.severity]||4)+1.5,situation:t.situation_id||``,chosen:!!v&&t.situation_id===v}})});let t=[],n=[];for(let e of _.situations){let r={situation:e.id,name:`Situation #${_.number[e.id]}: ${e.title}`,chosen:e.id===v};e.centroid&&n.push({type:`Feature`,geometry:{type:`Point`,coordinates:[e.centroid.lon,e.centroid.lat]},properties:r}),e.hull&&e.hull.type!==`Point`&&t.push({type:`Feature`,geometry:e.hull,properties:r})}return{events:e,hulls:t,centres:n}},S=()=>{let{events:e,hulls:t,centres:n}=x();p.getSource(`fusion-events`).setData({type:`FeatureCollection`,features:e}),p.getSource(`fusion-hulls`).setData({type:`FeatureCollection`,features:t}),p.getSource(`fusion-centres`).setData({type:`FeatureCollection`,features:n}),f.__drawn={events:e.length,hulls:t.length,centres:n.length,chosen:e.filter(e=>e.properties.chosen).length}};return{map:p,remove:()=>p.remove(),show(e){_=e,v=null,y?.remove(),f.__data=e,S();let[t,n,r,i]=[1/0,1/0,-1/0,-1/0];for(let a of e.events){let e=a.place||{};e.lat!==void 0&&e.lat!==null&&(t=Math.min(t,e.lon),n=Math.min(n,e.lat),r=Math.max(r,e.lon),i=Math.max(i,e.lat))}Number.isFinite(t)&&p.fitBounds([[t,n],[r,i]],{padding:60,maxZoom:7,duration:0})},choose(e){if(v=e,!_)return;S();let t=e?_.situations.find(t=>t.id===e):null;t?.bbox&&p.fitBounds([[t.bbox[0],t.bbox[1]],[t.bbox[2],t.bbox[3]]],{padding:80,maxZoom:7,duration:400})}}}function Dl(e,t){return`<strong>${j(e.title)}</strong>
    <div class="muted">${j(sl[e.domain]||e.domain)} / ${j(e.type)}, severity ${j(e.severity)}<br>
    ${j(M(e.start_utc,0))}${e.end_utc===e.start_utc?``:` to ${j(M(e.end_utc,0))}`}<br>
    ${e.situation_id?`<button type="button" class="linkish" data-situation="${j(e.situation_id)}">Situation
      #${t.number[e.situation_id]}</button><br>`:``}<a href="#/event/${j(e.id)}">The event and its evidence</a>
    </div><span class="mark">${j(e.marking.banner)}</span>`}var Ol={report:`Report`,assessment:`Assessment`,board:`ACH board`,assumptions:`Key assumptions check`,requirement:`Requirement`},kl=[[`items`,`Items`],[`requirements`,`Requirements`],[`scores`,`Scores`],[`add`,`Add an item`]],Al={report:`reports`,assessment:`assessments`,board:`ACH boards`,assumptions:`key assumptions checks`,requirement:`requirements`},jl={CC:`very consistent`,C:`consistent`,N:`neutral`,I:`inconsistent`,II:`very inconsistent`,NA:`not applicable`},Ml={supported:`supported`,caveated:`supported with caveats`,unsupported:`unsupported`},Nl=[`UNCLASSIFIED`,`RESTRICTED`,`CONFIDENTIAL`,`SECRET`,`TOP_SECRET`],Pl=[`CLEAR`,`GREEN`,`AMBER`,`AMBER+STRICT`,`RED`],Fl=14,Il=50,Ll=`<style>
  .intel-tabs { display: flex; flex-wrap: wrap; gap: .3em; margin: 0 0 1em; border-bottom: 2px solid var(--accent); }
  .intel-tabs a { padding: .3em .8em; text-decoration: none; color: var(--fg); border: 1px solid var(--line);
    border-bottom: none; border-radius: 4px 4px 0 0; background: #f0f0f0; }
  .intel-tabs a[aria-current="page"] { background: var(--accent); color: white; border-color: var(--accent); }
  .intel-banner { border-left: 4px solid var(--accent); background: white; padding: .3em .7em; margin: .4em 0 .8em; }
  .intel-banner .mark { font-size: 1em; color: var(--fg); font-weight: bold; white-space: normal; }
  .intel-text { white-space: pre-wrap; max-width: 60em; }
  .intel-meta { color: var(--muted); margin: .2em 0 .6em; }
  .intel-grade { font-size: 1.6em; font-weight: bold; color: var(--accent); margin-right: .3em; }
  .band { display: inline-block; position: relative; width: 8em; height: .7em; background: #eee; border: 1px solid #bbb;
    vertical-align: middle; margin-left: .4em; }
  .band span { position: absolute; top: 0; bottom: 0; background: var(--accent); }
  .band i { position: absolute; top: -2px; bottom: -2px; width: 2px; background: #c8102e; }
  .outcome-yes { color: #1b7837; font-weight: bold; } .outcome-no { color: #b2182b; font-weight: bold; }
  table.ach th[scope="row"] { font-weight: normal; max-width: 28em; }
  table.ach td.ach-cell { text-align: center; font-weight: bold; min-width: 3.2em; }
  .ach-CC { background: #1b7837; color: white; } .ach-C { background: #a6dba0; color: #111; }
  .ach-N { background: #f2f2f2; color: #111; } .ach-I { background: #f4a582; color: #111; }
  .ach-II { background: #b2182b; color: white; } .ach-NA { background: #ddd; color: #555; font-style: italic; }
  .ach-none { background: white; color: #999; }
  table.ach tr.critical > th, table.ach tr.critical > td:not(.ach-cell) { background: #fff4c2; }
  table.ach tr.critical > th { border-left: 4px solid #c77700; }
  .critical-label { display: inline-block; background: #c77700; color: white; font-size: .8em; font-weight: bold;
    padding: 0 .4em; border-radius: 3px; margin-left: .3em; }
  table.ach tfoot td, table.ach tfoot th { background: #f6f8fc; font-weight: bold; }
  table.ach th.leader, table.ach td.leader { box-shadow: inset 0 -3px 0 #1b7837; }
  .intel-legend { display: flex; flex-wrap: wrap; gap: .3em 1em; font-size: .9em; margin: .4em 0; }
  .intel-legend span { padding: 0 .4em; border-radius: 3px; }
  .status-supported { color: #1b7837; font-weight: bold; } .status-caveated { color: #9a6a00; font-weight: bold; }
  .status-unsupported { color: #b2182b; font-weight: bold; }
  tr.due-soon td { background: #fff8e6; }
  .overdue-label { color: #c8102e; font-weight: bold; }
  .intel-diagram img { max-width: 100%; width: 32em; background: white; border: 1px solid var(--line); }
  #intel-add textarea { width: 100%; font: .9em "DejaVu Sans Mono", monospace; }
  .problems li code { font-family: "DejaVu Sans Mono", monospace; }
  .intel-counts { display: flex; flex-wrap: wrap; gap: .4em 1.6em; margin: .2em 0 .8em; }
  .intel-counts strong { font-size: 1.3em; color: var(--accent); }
</style>`,Rl={report:{title:`ILLUSTRATIVE: merchant vessel dragged anchor across a Baltic cable route`,text:`ILLUSTRATIVE TEXT. A liaison source reports that the crew was instructed to keep its anchor lowered.`,date:`2024-12-27`,reliability:`B`,credibility:`3`,source:`liaison service, indirect access (ILLUSTRATIVE)`,countries:[`FI`,`EE`],actors:[`ILLUSTRATIVE vessel operator`],tags:[`subsea-infrastructure`]},assessment:{title:`ILLUSTRATIVE: threats to Baltic subsea infrastructure`,product_line:`hybrid-threats`,team:`ILLUSTRATIVE-team-north`,date:`2025-01-10`,summary:`ILLUSTRATIVE SUMMARY.`,key_judgements:[{text:`ILLUSTRATIVE: another Baltic subsea cable will be reported damaged before 1 July 2025.`,likelihood:`likely`,confidence:`moderate`,resolution_date:`2025-06-30`,criterion:`a Baltic state's authorities publicly report anchor damage to a subsea cable`}],citations:[]},board:{title:`ILLUSTRATIVE: why was the cable damaged?`,hypotheses:[{id:`H1`,text:`Accident`},{id:`H2`,text:`Negligence`},{id:`H3`,text:`Deliberate`}],evidence:[{id:`E1`,text:`Calm weather (ILLUSTRATIVE)`,credibility:`high`,relevance:`high`},{id:`E2`,text:`Anchor dragged for about 90 km (ILLUSTRATIVE)`,credibility:`high`,relevance:`high`}],ratings:{E1:{H1:`II`,H2:`C`,H3:`C`},E2:{H1:`I`,H2:`I`,H3:`CC`}}},assumptions:{title:`ILLUSTRATIVE: assumptions behind the Baltic subsea assessment`,assumptions:[{text:`ILLUSTRATIVE: AIS positions are complete enough to reconstruct the routes.`,basis:`Coastal AIS coverage is dense.`,status:`caveated`,undermined_by:`reception gaps longer than an hour`}]},requirement:{question:`ILLUSTRATIVE: which vessels with AIS gaps call at ports near cable landings?`,owner:`ILLUSTRATIVE-team-north`,due:`2025-03-31`,priority:`high`,status:`open`}},zl=e=>`<span class="mark">${j(e)}</span>`,Bl=()=>new Date().toISOString().slice(0,10),Vl=e=>Date.parse(`${e}T00:00:00Z`)/864e5,Hl=e=>`${Math.round(e*100)}\u202f%`,Ul=(e,t=4)=>e==null||Number.isNaN(e)?`-`:Number(e).toFixed(t),Wl=e=>Number.isInteger(e)?String(e):Number(e).toFixed(2),Gl=(e,t)=>`<a href="#/intel?item=${encodeURIComponent(e)}">${j(t)}</a>`,Kl=e=>String(e).slice(0,8);function ql(e){return typeof e==`string`?e:Array.isArray(e)?e.map(e=>e&&typeof e==`object`?`${Jl(e.loc)}: ${e.msg??``}`:String(e)).join(`; `):JSON.stringify(e)}function Jl(e){return(e||[]).filter((e,t)=>t!==0||e!==`body`).map((e,t)=>typeof e==`number`?`[${e}]`:`${t?`.`:``}${e}`).join(``)||`(the request)`}function Yl(e){return`<p class="error" role="alert">${j(e)}</p>`}function Xl(e,t){e.innerHTML=Yl(t)}async function Zl(e){let t=new URLSearchParams(location.hash.split(`?`)[1]||``),n=t.get(`item`),r=n?``:kl.some(([e])=>e===t.get(`tab`))?t.get(`tab`):`items`;e.innerHTML=`${Ll}
    <h1>Intelligence: contributions, assessments and structured analysis</h1>
    <p class="muted">The single intelligence analysis capacity: member states' reports graded on the admiralty scale,
      assessments whose key judgements carry an ICD 203 likelihood and a confidence level, ACH boards, key assumptions
      checks and requirements, as far as you may see them. Every item is marked at least as high as everything it
      cites; the banner shows the marking of what this view shows. Days and times are UTC.</p>
    <div class="intel-tabs" role="navigation" aria-label="Intelligence views">${kl.map(([e,t])=>`<a href="#/intel${e===`items`?``:`?tab=${e}`}"${e===r?` aria-current="page"`:``}>${j(t)}</a>`).join(``)}</div>
    <div id="intel-body"></div>`;let i=e.querySelector(`#intel-body`);return n?eu(e,i,n):r===`requirements`?cu(e,i):r===`scores`?lu(e,i,t):r===`add`?du(e,i):Ql(e,i,t)}async function Ql(e,t,n){let r=Object.hasOwn(Ol,n.get(`kind`)||``)?n.get(`kind`):``,i=await y(`/api/v1/intel/items?limit=1000${r?`&kind=${r}`:``}`);await D(e,i.marking?[i.marking]:[]);let a=i.items;t.innerHTML=`
    <form class="filters" id="intel-filter" aria-label="Filter the items">
      <label>Kind<select name="kind"><option value="">all kinds</option>${Object.entries(Ol).map(([e,t])=>`<option value="${e}"${e===r?` selected`:``}>${j(t)}</option>`).join(``)}</select></label>
      <span class="muted" id="intel-count" role="status">${N(a.length)} item${a.length===1?``:`s`} you may
        see${i.count>=i.limit?` (the newest ${N(i.limit)})`:``}, newest first</span>
    </form>
    ${a.length?`<p class="intel-banner" id="intel-listing-banner">This listing is marked ${zl(i.banner)}: the
      combination of the items in it.</p>`:``}
    <table id="intel-items"><thead><tr><th scope="col">Kind</th><th scope="col">Title</th>
      <th scope="col">Organisation</th><th scope="col">Team / product line</th><th scope="col">Details</th>
      <th scope="col" class="n">Version</th><th scope="col">Updated (UTC)</th><th scope="col" class="n">Cites</th>
      <th scope="col">Marking</th></tr></thead>
      <tbody>${a.map(e=>`<tr class="link" tabindex="0" data-id="${j(e.id)}" data-kind="${j(e.kind)}">
        <td>${j(Ol[e.kind]||e.kind)}</td><td>${Gl(e.id,e.title||e.kind)}</td><td>${j(e.org)}</td>
        <td>${j([e.team,e.product_line].filter(Boolean).join(` / `)||`-`)}</td><td>${$l(e)}</td>
        <td class="n">${e.version}</td><td class="time">${j(M(e.updated_utc,0))}</td>
        <td class="n">${e.citations}</td><td>${zl(e.banner)}</td></tr>`).join(``)||`<tr><td colspan="9" class="muted">No item you may see${r?` of this kind`:``}. Add one from “Add an
          item”, or with <code>kompas intel add</code>.</td></tr>`}</tbody></table>`,t.querySelector(`#intel-filter select`).addEventListener(`change`,e=>{location.hash=`#/intel${e.target.value?`?kind=${e.target.value}`:``}`});let o=t.querySelector(`#intel-items tbody`),s=e=>{let t=e.target.closest(`tr[data-id]`);t&&!e.target.closest(`a`)&&(e.type!==`keydown`||e.key===`Enter`)&&(location.hash=`#/intel?item=${encodeURIComponent(t.dataset.id)}`)};o.addEventListener(`click`,s),o.addEventListener(`keydown`,s)}function $l(e){if(e.kind===`report`)return`grade <b>${j(e.grade)}</b>${e.date?`, ${j(e.date)}`:``}`;if(e.kind===`assessment`)return`${j(e.date||``)}${e.date?`, `:``}${N(e.judgements??0)} key
    judgement${e.judgements===1?``:`s`}`;if(e.kind===`requirement`){let t=[`open`,`in-progress`].includes(e.status)&&e.due&&e.due<Bl();return`due ${j(e.due)}${t?` <span class="overdue-label">overdue</span>`:``}, ${j(e.status)},
      ${j(e.priority)} priority`}return`-`}async function eu(e,t,r){let i;try{i=await y(`/api/v1/intel/items/${encodeURIComponent(r)}`)}catch(r){if(r instanceof n)throw r;await D(e,[]),Xl(t,`Could not open the item: ${r.message}`);return}let a=e=>Promise.all(e.slice(0,Il).map(e=>y(`/api/v1/intel/items/${encodeURIComponent(e.id)}`).catch(e=>{if(e instanceof n)throw e;return null}))),[o,s]=await Promise.all([a(i.citations.filter(e=>e.kind!==`event`)),a(i.cited_by)]),c=[...o,...s].filter(Boolean);await D(e,[i.marking,...c.map(e=>e.marking)]);let l=new Map(c.map(e=>[e.id,e])),u=i.kind,d=i.body;t.innerHTML=`
    <p><a href="#/intel${Object.hasOwn(Al,u)?`?kind=${u}`:``}">← All ${j(Al[u]||`items`)}</a></p>
    <article id="intel-item" data-id="${j(i.id)}" data-kind="${j(u)}">
      <h2>${j(Ol[u]||u)}: ${j(i.title||u)}</h2>
      <p class="intel-banner" id="intel-item-banner">Marked ${zl(i.banner)}${c.some(e=>e.banner!==i.banner)?` <span class="muted">(the page's banner also covers the linked items listed below)</span>`:``}</p>
      <p class="intel-meta">${j(i.org)} · version ${i.version} · added ${j(M(i.added_utc,0))} · updated
        ${j(M(i.updated_utc,0))}${i.team?` · team ${j(i.team)}`:``}${i.product_line?` · product line ${j(i.product_line)}`:``}</p>
      <p class="actions">Export: <button type="button" data-export="html">HTML (printable)</button>
        <button type="button" data-export="stix">STIX 2.1</button><button type="button" data-export="json">JSON</button>
        <span class="muted export-status" role="status" aria-live="polite"></span></p>
      ${u===`assessment`?ru(i,d,l):u===`report`?iu(i,d):u===`board`?au(i,d,l):u===`assumptions`?ou(d,l):u===`requirement`?su(d):``}
      <h3>Cites</h3>${tu(i.citations,l)}
      <h3>Cited by</h3>${nu(i.cited_by,l)}
    </article>`,t.querySelector(`#intel-item .actions`).addEventListener(`click`,async e=>{let r=e.target.closest(`button[data-export]`);if(!r)return;let a=t.querySelector(`.export-status`),o=r.dataset.export;r.disabled=!0;try{let e=await y(`/api/v1/intel/items/${encodeURIComponent(i.id)}/export?format=${o}`,{raw:!0}),t=`intel-${Kl(i.id)}.${o===`stix`?`stix.json`:o}`;Da(t,await e.blob(),e.headers.get(`content-type`)),a.textContent=`Downloaded ${t}, marked ${e.headers.get(`X-Kompas-Banner`)||`-`}`}catch(e){if(e instanceof n)throw e;a.textContent=`Could not export: ${e.message}`}finally{r.disabled=!1}})}function tu(e,t){return e.length?`<ul id="intel-citations">${e.map(e=>{if(e.kind===`event`)return`<li>event <a href="#/event/${encodeURIComponent(e.id)}">${j(e.id)}</a></li>`;let n=t.get(e.id);return`<li>${j(Ol[e.kind]||e.kind)} ${n?`${Gl(e.id,n.title||e.kind)} ${zl(n.banner)}`:Gl(e.id,e.id)}</li>`}).join(``)}</ul>`:`<p class="muted">Nothing.</p>`}function nu(e,t){if(!e.length)return`<p class="muted">No item you may see cites it.</p>`;let n=e.filter(e=>t.has(e.id)),r=e.length-n.length;return`<ul id="intel-cited-by">${n.map(e=>`<li>${j(Ol[e.kind]||e.kind)}
    ${Gl(e.id,t.get(e.id).title||e.kind)} ${zl(t.get(e.id).banner)}</li>`).join(``)}</ul>${r?`<p class="muted">and ${N(r)} more not listed here.</p>`:``}`}function ru(e,t,n){let r=e.analysis?.judgements||[],i=(t.key_judgements||[]).map((e,t)=>{let n=r[t]||{},[i,a]=n.band||[null,null],o=n.forecast??e.probability,s=i===null?``:`<span class="band" role="img" aria-label="band ${Hl(i)} to ${Hl(a)}${o==null?``:`, scored as ${Hl(o)}`}"><span style="left:${i*100}%;width:${(a-i)*100}%"></span>${o==null?``:`<i style="left:calc(${o*100}% - 1px)"></i>`}
      </span>`,c;return c=e.outcome===!0?`<span class="outcome-yes">happened</span>${e.resolved_at?` (resolved ${j(e.resolved_at)})`:``}`:e.outcome===!1?`<span class="outcome-no">did not happen</span>${e.resolved_at?` (resolved ${j(e.resolved_at)})`:``}`:n.scorable?`open${e.resolution_date&&e.resolution_date<Bl()?` <span class="overdue-label">due for resolution</span>`:``}`:`<span class="muted">not scorable (no resolution date and criterion)</span>`,`<tr data-judgement="${t}"><td class="n">${t+1}</td><td>${j(e.text)}</td>
      <td class="likelihood"><b>${j(e.likelihood)}</b>${i===null?``:` <span class="band-text">${Hl(i)}–${Hl(a)}</span>`}${s}${e.probability!==null&&e.probability!==void 0?`<br><span class="muted">stated probability ${Hl(e.probability)}</span>`:``}</td>
      <td class="confidence">${j(e.confidence)}</td>
      <td>${e.resolution_date?`<span class="time">${j(e.resolution_date)}</span>`:`-`}${e.criterion?`<br><span class="muted">${j(e.criterion)}</span>`:``}</td><td class="outcome">${c}</td></tr>`});return`
    ${t.summary?`<p class="intel-text">${j(t.summary)}</p>`:``}
    <p class="intel-meta">Dated ${j(t.date||`-`)}${t.requirement?` · answers requirement ${Gl(t.requirement,n.get(t.requirement)?.title||t.requirement)}`:``}</p>
    <h3>Key judgements</h3>
    <table id="intel-judgements"><thead><tr><th scope="col" class="n">#</th><th scope="col">Judgement</th>
      <th scope="col">Likelihood (ICD 203 word and band)</th><th scope="col">Confidence</th>
      <th scope="col">Resolves (UTC day, criterion)</th><th scope="col">Outcome</th></tr></thead>
      <tbody>${i.join(``)||`<tr><td colspan="6" class="muted">No key judgement.</td></tr>`}</tbody></table>
    <p class="muted">Likelihood words and their probability bands are those of ICD 203 (the MISP estimative-language
      taxonomy); the red tick is the probability a judgement is scored with (its stated one, else the band's
      midpoint). Confidence (low, moderate, high) is the analysts' confidence in the sources and reasoning, not a
      probability.</p>`}function iu(e,t){let n=e.analysis||{};return`
    <p id="intel-grade"><span class="intel-grade">${j(n.grade||t.grade||``)}</span>${j(n.grade_meaning||``)}</p>
    <p class="intel-meta">Admiralty scale: the source's reliability (A–F) and the information's credibility (1–6) are
      graded separately. Source: ${j(t.source||`-`)}. Dated ${j(t.date||`-`)}.</p>
    ${t.text?`<p class="intel-text">${j(t.text)}</p>`:``}
    <dl class="evidence"><dt>Countries</dt><dd>${j((t.countries||[]).join(`, `)||`-`)}</dd>
      <dt>Actors</dt><dd>${j((t.actors||[]).join(`, `)||`-`)}</dd>
      <dt>Tags</dt><dd>${j((t.tags||[]).join(`, `)||`-`)}</dd></dl>`}function au(e,t,n){let r=e.analysis||{},i=t.hypotheses||[],a=t.evidence||[],o=new Set(r.critical||[]),s=new Map((r.diagnosticity||[]).map(e=>[e.evidence,e])),c=new Map((r.sensitivity||[]).map(e=>[e.evidence,e])),l=new Set((r.ranking||[]).filter(e=>e[0]===1).map(e=>e[1])),u=new Map((r.ranking||[]).map(e=>[e[1],e[0]])),d=new Map(i.map(e=>[e.id,e.text])),f=e=>l.has(e.id)?` class="leader"`:``,p=(e,n)=>{let r=t.ratings?.[e.id]?.[n.id]||``;return`<td class="ach-cell ach-${(Object.hasOwn(jl,r)?r:``)||`none`}" data-h="${j(n.id)}" data-rating="${j(r)}"
      title="${j(`${e.id} × ${n.id}: ${r?jl[r]||r:`not rated`}`)}">${j(r||`–`)}</td>`},m=(e,t,n)=>`<tr class="${n}"><th scope="row" colspan="4">${e}</th>${i.map(e=>`<td class="n${l.has(e.id)?` leader`:``}" data-h="${j(e.id)}">${t(e)}</td>`).join(``)}<td></td></tr>`;return`
    <p class="muted">Read the matrix for what refutes: the hypothesis with the least inconsistent evidence leads
      (Heuer). ${j(r.rule||``)}</p>
    <div class="intel-legend" aria-label="Ratings">${Object.entries(jl).map(([e,t])=>`<span class="ach-${e}">${e}: ${j(t)}</span>`).join(``)}<span class="ach-none">–: not rated</span></div>
    <div style="overflow-x:auto"><table class="ach" id="ach-matrix">
      <caption class="muted" style="text-align:left">Evidence (rows) against hypotheses (columns); rows marked
        <span class="critical-label">critical</span> change the leading hypothesis when removed alone.</caption>
      <thead><tr><th scope="col">Evidence</th><th scope="col">Credibility</th><th scope="col">Relevance</th>
        <th scope="col" class="n">Diagnosticity (spread)</th>${i.map(e=>`<th scope="col" data-h="${j(e.id)}"
        ${f(e)}><b>${j(e.id)}</b> ${j(e.text)}</th>`).join(``)}<th scope="col">Without this item</th></tr></thead>
      <tbody>${a.map(e=>{let t=c.get(e.id),r=s.get(e.id),a=e.citation?` <span class="muted">(${e.citation.kind===`event`?`event <a href="#/event/${encodeURIComponent(e.citation.id)}">${j(e.citation.id)}</a>`:`${j(e.citation.kind)} ${Gl(e.citation.id,n.get(e.citation.id)?.title||e.citation.id)}`})</span>`:``;return`<tr data-e="${j(e.id)}"${o.has(e.id)?` class="critical"`:``}><th scope="row"><b>${j(e.id)}</b>
          ${j(e.text)}${a}${o.has(e.id)?`<span class="critical-label">critical</span>`:``}</th>
          <td>${j(e.credibility)}</td><td>${j(e.relevance)}</td><td class="n">${r?`${Wl(r.spread)}${r.diagnostic?``:` <span class="muted">(not diagnostic)</span>`}`:`-`}</td>${i.map(t=>p(e,t)).join(``)}
          <td>${t?`leads: ${j(t.leaders_without.join(`, `)||`-`)}${t.changes_leader?` <b>(leader changes)</b>`:t.changes_order?` (order changes)`:` (no change)`}`:`-`}</td></tr>`}).join(``)||`<tr><td colspan="${5+i.length}" class="muted">No evidence on the board yet.</td></tr>`}</tbody>
      <tfoot>
        ${m(`Inconsistency score (I 1, II 2)`,e=>Wl(r.inconsistency?.[e.id]??0),`ach-score`)}
        ${m(`Weighted inconsistency (× credibility × relevance)`,e=>Wl(r.weighted?.[e.id]??0),`ach-weighted`)}
        ${m(`Rank (1 = least inconsistent)`,e=>u.has(e.id)?String(u.get(e.id)):`-`,`ach-rank`)}
      </tfoot></table></div>
    <h3>Ranking</h3>
    <ol id="ach-ranking">${(r.ranking||[]).map(([e,t,n])=>`<li value="${e}" data-h="${j(t)}">${l.has(t)?`<b>`:``}${j(t)}: ${j(d.get(t)||``)}${l.has(t)?`</b>`:``} <span class="muted">(inconsistency
      ${Wl(n)}, weighted ${Wl(r.weighted?.[t]??0)})</span></li>`).join(``)}</ol>
    <p id="ach-critical">${o.size?`Critical evidence: <b>${j([...o].join(`, `))}</b>: the conclusion rests
      on ${o.size===1?`it`:`them`}; check ${o.size===1?`it`:`them`} first (Heuer's step 6).`:`No single item of evidence, removed alone, changes the leading hypothesis.`}</p>`}function ou(e,t){let n=e.assumptions||[],r=e.summary||{};return`
    <p class="intel-counts" id="kac-summary">${Object.entries(Ml).map(([e,t])=>`<span><strong>${N(r[e]??n.filter(t=>t.status===e).length)}</strong> ${j(t)}</span>`).join(``)}</p>
    <table id="kac"><thead><tr><th scope="col" class="n">#</th><th scope="col">Assumption</th><th scope="col">Why it is
      believed</th><th scope="col">Status</th><th scope="col">What would undermine it</th><th scope="col">Evidence</th>
      </tr></thead><tbody>${n.map((e,n)=>`<tr data-status="${j(e.status)}"><td class="n">${n+1}</td>
      <td>${j(e.text)}</td><td>${j(e.basis)}</td><td class="status-${Object.hasOwn(Ml,e.status)?e.status:`unknown`}">${j(Ml[e.status]||e.status)}</td><td>${j(e.undermined_by||`-`)}</td>
      <td>${(e.evidence||[]).map(e=>e.kind===`event`?`event <a href="#/event/${encodeURIComponent(e.id)}">${j(e.id)}</a>`:`${j(e.kind)} ${Gl(e.id,t.get(e.id)?.title||e.id)}`).join(`<br>`)||`-`}</td>
      </tr>`).join(``)}</tbody></table>
    <p class="muted">Key assumptions check (Heuer and Pherson): an unsupported assumption that carries the conclusion is
      where the line is weakest; what would undermine it is the indicator to watch.</p>`}function su(e){let t=[`open`,`in-progress`].includes(e.status)&&e.due&&e.due<Bl();return`
    <p class="intel-text">${j(e.question)}</p>
    <dl class="evidence"><dt>Owner</dt><dd>${j(e.owner)}</dd><dt>Due (UTC day)</dt><dd>${j(e.due)}${t?` <span class="overdue-label">overdue</span>`:``}</dd><dt>Priority</dt><dd>${j(e.priority)}</dd>
      <dt>Status</dt><dd>${j(e.status)}</dd></dl>
    <p class="muted">The assessments answering it are listed under “Cited by”.</p>`}async function cu(e,t){let n=await y(`/api/v1/intel/requirements`);await D(e,n.marking?[n.marking]:[]);let r=Vl(n.as_of)+Fl,i=n.requirements;t.innerHTML=`
    <p class="intel-counts" id="requirement-counts"><span><strong>${N(n.open)}</strong> open</span>
      <span><strong>${N(n.overdue)}</strong> overdue</span><span><strong>${N(n.answered)}</strong>
      answered by an assessment</span><span class="muted">as of ${j(n.as_of)} (UTC); due within ${Fl} days
      highlighted</span></p>
    ${i.length?`<p class="intel-banner">These requirements are marked ${zl(n.banner)} together.</p>`:``}
    <table id="intel-requirements"><thead><tr><th scope="col">Due (UTC day)</th><th scope="col">Question</th>
      <th scope="col">Owner</th><th scope="col">Priority</th><th scope="col">Status</th><th scope="col">Answered by</th>
      <th scope="col">Organisation</th><th scope="col">Marking</th></tr></thead>
      <tbody>${i.map(e=>{let t=[`open`,`in-progress`].includes(e.status)&&!e.overdue&&Vl(e.due)<=r;return`<tr data-id="${j(e.id)}" class="${e.overdue?`overdue`:t?`due-soon`:``}">
          <td class="time">${j(e.due)}${e.overdue?` <span class="overdue-label">overdue</span>`:t?` <b>due soon</b>`:``}</td><td>${Gl(e.id,e.question)}</td><td>${j(e.owner)}</td>
          <td>${j(e.priority)}</td><td>${j(e.status)}</td><td>${e.answered_by.map((e,t)=>Gl(e,`assessment ${t+1}`)).join(`, `)||`-`}</td><td>${j(e.org)}</td><td>${zl(e.banner)}</td></tr>`}).join(``)||`<tr><td colspan="8" class="muted">No requirement you may see.</td></tr>`}</tbody></table>`}async function lu(e,t,n){let r=n.get(`by`)===`product_line`?`product_line`:`team`,i=await y(`/api/v1/intel/scores?by=${r}`),a=i.judgements?uu(i.diagram_svg):null;await D(e,i.marking?[i.marking]:[]);let o=Object.entries(i.groups||{}),s=i.overall,c=(e,t)=>`<tr data-group="${j(e)}"><th scope="row">${j(e)}</th><td class="n">${N(t.n)}</td>
    <td class="n brier">${Ul(t.brier)}</td><td class="n">${Ul(t.reliability)}</td><td class="n">${Ul(t.resolution)}
    </td><td class="n">${Ul(t.uncertainty)}</td><td class="n">${Ul(t.base_rate,3)}</td><td class="n">${t.skill===null||t.skill===void 0?`-`:Ul(t.skill,3)}</td></tr>`;if(t.innerHTML=`
    <form class="filters" id="scores-by" aria-label="Group the scores"><label>Per<select name="by">
      <option value="team"${r===`team`?` selected`:``}>analyst team</option><option value="product_line"${r===`product_line`?` selected`:``}>product line</option></select></label>
      <span class="muted" role="status">${N(i.judgements)} resolved key judgement${i.judgements===1?``:`s`} in ${N(i.assessments)} assessment${i.assessments===1?``:`s`} you may see</span></form>
    ${i.judgements?`<p class="intel-banner">These scores are marked ${zl(i.banner)}: the combination of the
      assessments they use.</p>
    <table id="intel-scores"><thead><tr><th scope="col">${r===`team`?`Team`:`Product line`}</th>
      <th scope="col" class="n">Judgements</th><th scope="col" class="n">Brier score</th><th scope="col"
      class="n">Reliability</th><th scope="col" class="n">Resolution</th><th scope="col" class="n">Uncertainty</th>
      <th scope="col" class="n">Base rate</th><th scope="col" class="n">Skill</th></tr></thead>
      <tbody>${o.map(([e,t])=>c(e,t)).join(``)}</tbody>
      <tfoot>${s?c(`All`,s):``}</tfoot></table>
    <p class="muted">${j(i.rule)}. Lower Brier and reliability are better, higher resolution is better.</p>
    <h3>Calibration (all judgements)</h3>
    <table id="intel-bins"><thead><tr><th scope="col">Band</th><th scope="col" class="n">Judgements</th>
      <th scope="col" class="n">Mean probability</th><th scope="col" class="n">Observed frequency</th></tr></thead>
      <tbody>${(s?.bins||[]).map(e=>`<tr><td>${Hl(e.low)}–${Hl(e.high)}</td><td class="n">${N(e.count)}</td><td class="n">${Ul(e.forecast,3)}</td><td class="n">${Ul(e.observed,3)}</td>
        </tr>`).join(``)}</tbody></table>
    <h3>Reliability diagram</h3>
    <figure class="intel-diagram" id="intel-diagram"></figure>`:`<p class="muted" id="intel-no-scores">No resolved key judgement you may see yet. A judgement with a resolution
      date and a criterion is resolved with <code>kompas intel resolve</code> (or POST
      /api/v1/intel/items/{id}/judgements/{n}) and then counts here.</p>`}`,t.querySelector(`#scores-by select`).addEventListener(`change`,e=>{location.hash=`#/intel?tab=scores${e.target.value===`team`?``:`&by=${e.target.value}`}`}),!a)return null;let l=t.querySelector(`#intel-diagram`);if(a.error)return Xl(l,`The diagram could not be shown: ${a.error}`),null;let u=document.createElement(`img`);u.src=a.url,u.alt=`Reliability diagram: observed frequency against the stated probability per band, ${(s?.bins||[]).map(e=>`${Hl(e.low)} to ${Hl(e.high)}: ${e.count} judgements, observed ${Ul(e.observed,2)}`).join(`; `)}`;let d=document.createElement(`figcaption`);return d.className=`muted`,d.textContent=`Points on the diagonal are perfectly calibrated; above it, what was judged happened more often than the words said.`,l.replaceChildren(u,d),()=>URL.revokeObjectURL(a.url)}function uu(e){let t=new DOMParser().parseFromString(String(e||``),`image/svg+xml`),n=t.documentElement;if(t.querySelector(`parsererror`)||n.localName!==`svg`||n.namespaceURI!==`http://www.w3.org/2000/svg`)return{error:`the server's diagram is not an SVG document`};let r=new XMLSerializer().serializeToString(n);return{url:URL.createObjectURL(new Blob([r],{type:`image/svg+xml`}))}}async function du(e,t){await D(e,[]),t.innerHTML=`
    <section class="card" id="intel-add" aria-labelledby="intel-add-title">
      <h2 id="intel-add-title">Add an item</h2>
      <p class="muted">The item in its JSON form (as <code>examples/intel/</code>; “Example” fills in an illustrative
        one). Your organisation is its author; it is stored under the marking below combined with the markings of
        everything it cites, never lower. Every problem is named with its place.</p>
      <form id="intel-add-form" aria-label="Add an item">
        <div class="filters">
          <label>Kind<select name="kind">${Object.entries(Ol).map(([e,t])=>`<option value="${e}">${j(t)}</option>`).join(``)}</select></label>
          <label>Classification<select name="classification">${Nl.map(e=>`<option value="${e}">${j(e.replace(`_`,` `))}</option>`).join(``)}</select></label>
          <label>TLP<select name="tlp">${Pl.map(e=>`<option${e===`AMBER`?` selected`:``}>${e}</option>`).join(``)}</select></label>
          <label>Releasable to (codes, comma-separated; empty: no restriction)<input name="releasable_to" size="22"
            maxlength="2000" placeholder="NL, FR"></label>
          <label>Need-to-know communities (comma-separated)<input name="communities" size="16" maxlength="2000"
            placeholder="hybrid"></label>
          <button type="button" id="intel-example">Example</button>
        </div>
        <label for="intel-json">Item (JSON)</label>
        <textarea id="intel-json" name="item_json" rows="16" spellcheck="false" required></textarea>
        <p><button type="submit">Store</button></p>
      </form>
      <div id="intel-add-result" role="status" aria-live="polite"></div>
    </section>`;let i=t.querySelector(`#intel-add-form`),a=t.querySelector(`#intel-add-result`);t.querySelector(`#intel-example`).addEventListener(`click`,()=>{i.elements.namedItem(`item_json`).value=JSON.stringify(Rl[i.elements.kind.value],null,2)}),i.addEventListener(`submit`,async t=>{t.preventDefault();let o=i.elements,s;try{s=JSON.parse(o.namedItem(`item_json`).value)}catch(e){a.innerHTML=`<p class="error" role="alert">The item is not JSON: ${j(e.message)}</p>`;return}let c=e=>e.split(`,`).map(e=>e.trim()).filter(Boolean),l={classification:o.classification.value,tlp:o.tlp.value,releasable_to:c(o.releasable_to.value).length?c(o.releasable_to.value):null,communities:c(o.communities.value)};a.innerHTML=`<p class="muted">Storing…</p>`;let u;try{u=await fetch(`/api/v1/intel/items`,{method:`POST`,body:JSON.stringify({kind:o.kind.value,item:s,marking:l}),headers:{Authorization:`Bearer ${r()??``}`,"Content-Type":`application/json`}})}catch(e){Xl(a,`Not stored: the server could not be reached (${e.message})`);return}if(u.status===401)throw Xl(a,`Sign in again.`),new n(`sign in again`);let d=null;try{d=await u.json()}catch{}if(u.ok){try{await D(e,[d.marking])}catch(e){Xl(a,`Stored as ${d.id}, but its marking could not be shown: ${e.message}`);return}a.innerHTML=`<p>Stored ${j(Ol[d.kind]||d.kind)} ${Gl(d.id,d.id)}, version
      ${d.version}, marked ${zl(d.banner)}.</p>${d.raised?`<p class="lead-label">The marking was
      raised above the one asked for: ${j(d.why)}</p>`:``}`}else{let e=d?.detail??u.statusText;a.innerHTML=Array.isArray(e)?`<div class="error" role="alert"><p>Not stored (HTTP ${u.status}): ${N(e.length)} problem${e.length===1?``:`s`}:</p><ul class="problems">${e.map(e=>`<li><code>${j(Jl(e.loc))}</code>: ${j(e.msg??String(e))}</li>`).join(``)}</ul></div>`:Yl(`Not stored (HTTP ${u.status}): ${ql(e)}`)}})}var fu=2018,pu=[2018,2030],mu={conflictology:`Conflictology benchmark: each month of the window drawn from the country's last 12 months`,poisson:`Last-historical Poisson benchmark: Poisson draws around the last month before the cut-off`,bootstrap:`Bootstrap benchmark: draws from the pool of all country-months before the cut-off`,zero:`Zero benchmark: no deaths anywhere`,kompas:`Kompas: gradient boosting on conflict history, neighbours, UCDP status, ND-GAIN and IPC, trained only on data dated before the cut-off`},hu=[[`crps`,`CRPS (deaths)`],[`ign`,`Ignorance (bits)`],[`mis`,`MIS, 90 % interval (deaths)`]],gu={vulnerability:`#b35806`,readiness:`#f1a340`,food:`#998ec3`,conflict:`#542788`},_u={KOS:`XKX`,SDS:`SSD`,SAH:`ESH`,SOL:`SOM`,CYN:`CYP`,ALD:`ALA`,IOA:`AUS`,ATC:`AUS`},vu=20,yu=30,bu=40,xu=`Military expenditure (SIPRI Military Expenditure Database 2024, https://www.sipri.org/databases/milex) is in the integrated threat analysis report: this page shows no SIPRI figures.`,Su=`<style>
  .warning-grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 0 1.5em; }
  @media (max-width: 1100px) { .warning-grid { grid-template-columns: 1fr; } }
  #warning-evaluation td.best { font-weight: bold; background: #eaf5ea; }
  #warning-evaluation tr.kompas th { border-left: 4px solid var(--accent); }
  .warning-ratio { font-size: 1.1em; margin: .4em 0; }
  .warning-ratio strong { color: var(--accent); font-size: 1.2em; }
  .stack { display: flex; height: .95em; width: 14em; background: #f2f2f2; border: 1px solid var(--line);
    border-radius: 2px; overflow: hidden; }
  .stack span { display: block; height: 100%; }
  .warning-legend { display: flex; flex-wrap: wrap; gap: .3em 1em; font-size: .9em; margin: .3em 0; }
  .warning-legend i { display: inline-block; width: .9em; height: .9em; margin-right: .3em; vertical-align: middle; }
  .warning-map-wrap { position: relative; height: 430px; border: 1px solid var(--line); border-radius: 4px;
    overflow: hidden; background: #cddbe6; }
  .warning-map-wrap .map { position: absolute; inset: 0; }
  .warning-scale { height: .8em; width: 16em; border: 1px solid var(--line); display: inline-block;
    vertical-align: middle; margin: 0 .4em; }
  .map-tooltip { position: absolute; z-index: 2; pointer-events: none; background: rgba(0,0,0,.78); color: white;
    padding: 2px 6px; border-radius: 3px; font-size: 12px; }
  .warning-changes ul { margin: .2em 0 .6em; padding-left: 1.2em; }
  .warning-changes h4 { margin: .5em 0 .2em; }
  tr.warned td { background: #fdecee; }
  .sources li { margin: .3em 0; }
  #watchlist td.explanation { max-width: 40em; }
</style>`,Cu=[[0,`#fff5eb`],[.25,`#fdd0a2`],[.5,`#fd8d3c`],[.75,`#d94801`],[1,`#7f2704`]],wu=e=>new Promise(t=>setTimeout(t,e*1e3)),Tu=(e,t=3)=>e==null||Number.isNaN(e)?`-`:Number(e).toFixed(t),Eu=e=>e==null?`-`:`${Math.round(e*100)}\u202f%`,Du=e=>e==null?`-`:N(Math.round(e)),Ou=e=>`<p class="error" role="alert">${j(e)}</p>`,ku=(e,t)=>{e.innerHTML=Ou(t)};function Au(e){return typeof e==`string`?e:Array.isArray(e)?e.map(e=>e&&typeof e==`object`?`${(e.loc||[]).filter(e=>e!==`query`).join(`.`)}: ${e.msg??``}`:String(e)).join(`; `):JSON.stringify(e)}async function ju(e,t,i=()=>{}){for(let a=0;;a+=1){let o=await fetch(e,{headers:{Authorization:`Bearer ${r()??``}`}});if(o.status===401)throw new n(`sign in again`);if((o.status===503||o.status===429)&&a<bu&&!t.stopped){let e=Math.min(Math.max(Number(o.headers.get(`Retry-After`))||1,1),10);i(e),await wu(e)}else{if(!o.ok){let e=o.statusText;try{e=Au((await o.json()).detail)}catch{}throw Object.assign(Error(`${e} (HTTP ${o.status})`),{status:o.status,detail:e})}return o.json()}}}function Mu(){let e=new URLSearchParams(location.hash.split(`?`)[1]||``),t=e.get(`window`),n=t===null||t.trim()===``?null:Number(t),r=e.get(`model`),i=Number(e.get(`edition`));return{window:n,asked:t,model:Object.hasOwn(mu,r||``)?r:`kompas`,edition:Number.isInteger(i)&&i>=1996&&i<=2100?i:null}}async function Nu(e){let t=Mu(),r={stopped:!1,map:null,land:null,watchlist:null,forecast:null,layer:`watchlist`,sources:new Map};e.innerHTML=`${Su}
    <h1>Early warning: armed conflict and climate security</h1>
    <p class="muted">Country-month forecasts of state-based conflict deaths as probabilistic samples, scored exactly as
      the VIEWS prediction challenge scores them (lower is better), and a climate-security watchlist. A forecast is
      not an observation. No model reads anything dated after its window's cut-off (31 October of the year before).</p>
    <form class="filters card" id="warning-options" aria-label="Window, model and edition">
      <label>Forecast window (year)<select name="window" id="warning-window" data-loaded="false">
        <option value="${j(t.asked??``)}" selected>${t.asked===null?`the latest evaluable (loading the windows…)`:`${j(t.asked)} (loading the windows…)`}</option></select></label>
      <label>Model for the forecast and the map<select name="model">${Object.keys(mu).map(e=>`<option${e===t.model?` selected`:``}>${e}</option>`).join(``)}</select></label>
      <label>Watchlist edition (year; empty: the latest)<input name="edition" type="number" min="1996" max="2100"
        value="${t.edition??``}" style="width:7em"></label>
      <button type="submit">Show</button>
    </form>
    <section aria-labelledby="evaluation-title">
      <h2 id="evaluation-title">Forecast evaluation<span class="window-name"></span></h2>
      <p id="evaluation-status" class="muted" role="status" aria-live="polite">Waiting for the watchlist, then finding
        the windows the data can serve…</p>
      <div id="evaluation"></div>
    </section>
    <div class="warning-grid">
      <section aria-labelledby="watchlist-title">
        <h2 id="watchlist-title">Climate-security watchlist</h2>
        <p id="watchlist-status" class="muted" role="status" aria-live="polite">Loading the watchlist…</p>
        <div id="watchlist-changes" class="warning-changes"></div>
      </section>
      <section aria-labelledby="map-title">
        <h2 id="map-title">Map</h2>
        <div class="filters" role="radiogroup" aria-label="What the map shows">
          <label class="check"><input type="radio" name="warning-layer" value="watchlist" checked> watchlist score
            (0–100)</label>
          <label class="check"><input type="radio" name="warning-layer" value="forecast"> forecast: P(25 or more deaths
            in the peak month), <span id="layer-name">${j(t.model)}</span></label>
        </div>
        <div class="warning-map-wrap"><div class="map" id="warning-map" role="img"
          aria-label="Countries coloured by the chosen value; the tables hold the same figures"></div></div>
        <p class="muted" id="warning-map-legend"></p>
      </section>
    </div>
    <section aria-labelledby="watchlist-table-title">
      <h3 id="watchlist-table-title">The watchlist, ranked</h3>
      <div id="watchlist-table"></div>
    </section>
    <section aria-labelledby="forecast-title">
      <h2 id="forecast-title">Forecast by country: ${j(t.model)}<span class="window-name"></span></h2>
      <p id="forecast-status" class="muted" role="status" aria-live="polite">Waiting for the evaluation…</p>
      <div id="forecast"></div>
    </section>
    <section aria-labelledby="sources-title" class="card" id="warning-attributions">
      <h2 id="sources-title">Sources</h2>
      <ul class="sources" id="warning-sources"></ul>
      <p class="muted">${j(xu)} Country boundaries: Natural Earth (public domain).</p>
    </section>`,e.querySelector(`#warning-options`).addEventListener(`submit`,e=>{e.preventDefault();let t=e.target.elements,n=new URLSearchParams({window:t.window.value,model:t.model.value});t.edition.value.trim()&&n.set(`edition`,t.edition.value.trim()),location.hash=`#/warning?${n}`});for(let t of e.querySelectorAll(`input[name="warning-layer"]`))t.addEventListener(`change`,()=>{r.layer=t.value,Uu(e,r)});await D(e,[]);let a=e=>{e instanceof n&&!r.stopped&&(i(),location.hash=`#/signin`)};return Fu(e,r,t).then(()=>r.stopped?null:Bu(e,r,t)).catch(a),Hu(e,r).catch(t=>{if(t instanceof n){a(t);return}let i=e.querySelector(`#warning-map-legend`);i&&!r.stopped&&ku(i,`The map could not be drawn: ${t.message}`)}),()=>{r.stopped=!0,r.map?.remove()}}function Pu(e,t,n){for(let e of n||[]){let n=typeof e==`string`?e:e.citation;n&&(!t.sources.has(n)||typeof e!=`string`&&e.licence)&&t.sources.set(n,typeof e==`string`?t.sources.get(n)||``:e.licence||``)}let r=e.querySelector(`#warning-sources`);r&&(r.innerHTML=[...t.sources].map(([e,t])=>`<li>${j(e)}${t?` <span class="muted">(${j(t)})</span>`:``}</li>`).join(``))}async function Fu(e,t,r){let i=e.querySelector(`#watchlist-status`),a;try{a=await ju(`/api/v1/warning/watchlist${r.edition?`?year=${r.edition}`:``}`,t,e=>{i.textContent=`The server is computing a forecast; asking again in ${e} s…`})}catch(e){if(e instanceof n)throw e;ku(i,`Could not load the watchlist: ${e.message}`);return}if(t.stopped)return;await D(e,[]),t.watchlist=a,Pu(e,t,a.sources);let o=new Map(a.rows.map(e=>[e.iso3,e.name])),s=e=>`${j(o.get(e)||e)} <span class="muted">${j(e)}</span>`,c=a.changes;i.innerHTML=`Edition ${a.year}: ${N(a.rows.length)} countries ranked (data: ND-GAIN ${j(a.data?.ndgain||`-`)}, UCDP ${j(a.data?.ucdp||`-`)}, IPC ${j(a.data?.ipc||`-`)}). Method: ${j(a.method?.rule||`-`)}.`,e.querySelector(`#watchlist-changes`).innerHTML=c?`
    <h3>Changes in the top ${c.top_n} since the ${c.previous_year} edition</h3>
    <div id="watchlist-moves">
      <h4>Entered</h4><ul>${c.entered.map(e=>`<li>${s(e)} (now ${o.has(e)?`rank ${a.rows.find(t=>t.iso3===e).rank}`:`ranked`})</li>`).join(``)||`<li class='muted'>none</li>`}</ul>
      <h4>Left</h4><ul>${c.left.map(e=>`<li>${s(e)}${o.has(e)?` (now rank ${a.rows.find(t=>t.iso3===e).rank})`:``}</li>`).join(``)||`<li class='muted'>none</li>`}</ul>
      <h4>Moved up</h4><ul>${c.moved_up.map(e=>`<li>${j(e.name)}: ${e.previous_rank} → ${e.rank}</li>`).join(``)||`<li class='muted'>none</li>`}</ul>
      <h4>Moved down</h4><ul>${c.moved_down.map(e=>`<li>${j(e.name)}: ${e.previous_rank} → ${e.rank}</li>`).join(``)||`<li class='muted'>none</li>`}</ul>
    </div>`:`<p class="muted">No previous edition to compare with.</p>`;let l=Object.fromEntries((a.rows[0]?.components||[]).map(e=>[e.key,e.label])),u=a.method?.weights||{},d=e=>`<tr data-iso3="${j(e.iso3)}"${e.rank<=(c?.top_n??vu)?``:` class="beyond"`}>
    <td class="n">${e.rank}</td><th scope="row">${j(e.name)} <span class="muted">${j(e.iso3)}</span></th>
    <td class="n score">${Tu(e.score,1)}</td>
    <td><span class="stack" role="img" aria-label="${j(e.components.map(e=>`${e.label} ${Tu(e.contribution,1)}`).join(`, `))}">${e.components.map(e=>`<span style="width:${Math.max(0,e.contribution)}%;background:${gu[e.key]||`#777`}" title="${j(`${e.label}: ${Tu(e.contribution,1)} points (${e.detail})`)}"></span>`).join(``)}</span></td>
    <td class="explanation">${j(e.explanation)}${e.missing?.length?` <span class="muted">(no data: ${j(e.missing.join(`, `))})</span>`:``}</td></tr>`,f=e.querySelector(`#watchlist-table`);f.innerHTML=`
    <p class="warning-legend">Score points from: ${Object.entries(gu).map(([e,t])=>`<span><i style="background:${t}"></i>${j(l[e]||e)} (weight ${Tu(u[e],2)})</span>`).join(``)}</p>
    <table id="watchlist"><thead><tr><th scope="col" class="n">Rank</th><th scope="col">Country</th>
      <th scope="col" class="n">Score (0–100)</th><th scope="col">Made of</th><th scope="col">Why</th></tr></thead>
      <tbody>${a.rows.slice(0,vu).map(d).join(``)}</tbody></table>
    ${a.rows.length>vu?`<p><button type="button" id="watchlist-all">Show all ${N(a.rows.length)}
      countries</button></p>`:``}
    ${a.unscored?.length?`<p class="muted">Not ranked: ${a.unscored.map(e=>`${j(e.iso3)} (${j(e.reason)})`).join(`; `)}.</p>`:``}
    ${a.rejections?.length?`<p class="muted">${N(a.rejections.length)} source records were refused (see
      <code>kompas warning watchlist</code>).</p>`:``}`,f.querySelector(`#watchlist-all`)?.addEventListener(`click`,e=>{f.querySelector(`#watchlist tbody`).innerHTML=a.rows.map(d).join(``),e.target.remove()}),Uu(e,t)}function Iu(e){return e?.length?e.every((t,n)=>n===0||t===e[n-1]+1)?e.length>1?`${e[0]}–${e.at(-1)}`:`${e[0]}`:e.join(`, `):`none`}function Lu(e){let t=/windows that can be evaluated: (?:\d{4}-)?(\d{4})/.exec(String(e??``));return t?Number(t[1]):null}async function Ru(e,t,r){let i=new Set,a=fu;if(Number.isInteger(t.window)&&t.window>=pu[0]&&t.window<=pu[1])try{let n=await ju(`/api/v1/warning/evaluate?window=${t.window}`,e,r);if(!n.windows)throw Error(`the server's answer does not say which windows it serves`);return{windows:n.windows,evaluation:n}}catch(e){if(e instanceof n||e.status!==422)throw e;i.add(t.window),a=Lu(e.detail)??fu}for(;!e.stopped;){i.add(a);try{let t=await ju(`/api/v1/warning/evaluate?window=${a}&model=zero`,e,r);if(!t.windows)throw Error(`the server's answer does not say which windows it serves`);return{windows:t.windows,evaluation:null}}catch(e){if(e instanceof n||e.status!==422)throw e;let t=Lu(e.detail);if(t===null||i.has(t))throw e;a=t}}return null}function zu(e,t,n,r){let i=e.querySelector(`#warning-window`),a=r?.evaluate||[],o=r?.forecast||[],s=[...new Set([...a,...o])].sort((e,t)=>e-t),c=e=>a.includes(e)?o.includes(e)?`${e}`:`${e} (evaluation only: no data before its cut-off)`:`${e} (forecast only: outcomes not known yet)`,l=s.map(e=>`<option value="${e}"${e===n?` selected`:``}>${j(c(e))}</option>`).join(``);s.includes(n)||(l=`<option value="${j(t.asked??``)}" selected disabled>${j(t.asked??`-`)} (not served)</option>${l}`),i.innerHTML=l,i.dataset.loaded=`true`}async function Bu(e,t,r){let i=e.querySelector(`#evaluation-status`),a=e.querySelector(`#forecast-status`),o=e=>t=>{e.textContent=`Another forecast is being computed on the server; asking again in
    ${t} s…`},s=e=>`Computing the five models' forecasts for ${e} (the Kompas model is fitted on the first
    request for a window: seconds to a minute)…`;i.textContent=r.window===null?`Finding the windows the data can serve…`:s(r.asked);let c;try{c=await Ru(t,r,o(i))}catch(t){if(t instanceof n)throw t;ku(i,`Could not find the windows this server can serve: ${t.message}`),ku(a,`No forecast: the windows this server can serve are not known.`),zu(e,r,null,null);return}if(!c||t.stopped)return;let{windows:l}=c,u=l.evaluate||[],d=l.forecast||[],f=r.window??u.at(-1)??d.at(-1)??null;zu(e,r,f,l);let p=`this server's data can evaluate the windows ${Iu(u)} and forecast ${Iu(d)}`;if(f===null||!u.includes(f)&&!d.includes(f)){let n=r.asked??`-`;for(let t of e.querySelectorAll(`.window-name`))t.textContent=`, window ${n} (not served)`;e.querySelector(`#layer-name`).textContent=`${r.model}, window ${n} (not served)`,ku(i,f===null?`No window can be served: ${p}.`:`Window ${n} is not served:
      ${p}. Choose one of those windows above.`),t.noForecast=`no forecast: window ${n} is not served`,ku(a,`No forecast: window ${n} is not served (windows that can be forecast: ${Iu(d)}).`),Uu(e,t);return}for(let t of e.querySelectorAll(`.window-name`))t.textContent=`, window ${f}`;if(e.querySelector(`#layer-name`).textContent=`${r.model}, window ${f}`,u.includes(f)){let{evaluation:r}=c;if(!r){i.textContent=s(f);try{r=await ju(`/api/v1/warning/evaluate?window=${f}`,t,o(i))}catch(e){if(e instanceof n)throw e;ku(i,`Could not evaluate the window: ${e.message}`)}}if(t.stopped)return;r&&(await D(e,[]),Pu(e,t,r.sources),i.textContent=`Window ${r.window}: every model may use only data dated on or before
        ${r.cutoff} (the cut-off). Means over the window's country-months; lower is better; the best of each
        column is in bold.`,e.querySelector(`#evaluation`).innerHTML=Vu(r))}else i.textContent=`Window ${f}: forecast only.`,e.querySelector(`#evaluation`).innerHTML=`<p class="card" id="evaluation-unknown"><b>Window ${f} cannot
      be evaluated yet: its outcomes (the actual deaths of all 12 months) are not known yet</b> in the data this
      server holds. Windows that can be evaluated: ${Iu(u)}. The forecast and the warnings it raises are
      below.</p>`;if(!d.includes(f)){t.noForecast=`no forecast: window ${f} cannot be forecast`,ku(a,`Window ${f} cannot be forecast: its cut-off (31 October ${f-1}) is outside
      the data this server holds (windows that can be forecast: ${Iu(d)}).`),Uu(e,t);return}a.textContent=`Computing the ${r.model} forecast for ${f}…`;let m,h;try{if(m=await ju(`/api/v1/warning/forecast?window=${f}&model=${r.model}&top=500`,t,o(a)),t.stopped)return;h=await ju(`/api/v1/warning/warnings?window=${f}&model=${r.model}`,t,o(a))}catch(r){if(r instanceof n)throw r;t.noForecast=`the forecast could not be computed`,ku(a,`Could not compute the forecast: ${r.message}`),Uu(e,t);return}if(t.stopped)return;await D(e,[]),Pu(e,t,[...m.sources,...h.sources||[]]),t.forecast=m;let g=new Map;for(let e of h.events){let t=e.payload?.country_id,n=g.get(t)||[];n.push(e),g.set(t,n)}a.innerHTML=`${j(m.countries)} countries, ${N(m.draws)} draws per country-month; cut-off
    ${j(m.cutoff)}. <b>${N(h.count)} warning${h.count===1?``:`s`}</b> raised (P(25 or
    more deaths in a month) or P(1,000 or more in the year) at 0.5 or above; severity high from 0.9, medium from
    0.7). ${m.notes.length?`<span class="muted">${j(m.notes.join(`; `))}</span>`:``}`,e.querySelector(`#forecast`).innerHTML=`
    <table id="warning-forecast"><thead><tr><th scope="col" class="n">#</th><th scope="col">Country</th>
      <th scope="col" class="n" data-col="expected-year">Expected deaths, whole year (sum of the 12 months)</th>
      <th scope="col" data-col="peak-month">Peak month (highest P(≥ 25 deaths))</th>
      <th scope="col" class="n" data-col="expected-peak">Expected deaths in the peak month only</th>
      <th scope="col" class="n">P(≥ 25 deaths, peak month)</th>
      <th scope="col" class="n">P(≥ 1,000 deaths, year)</th><th scope="col">Warnings</th></tr></thead>
      <tbody>${m.rows.slice(0,yu).map((e,t)=>{let n=g.get(e.country_id)||[];return`<tr data-iso3="${j(e.iso3)}"${n.length?` class="warned"`:``}><td class="n">${t+1}</td>
          <th scope="row">${j(e.country)} <span class="muted">${j(e.iso3)}</span></th>
          <td class="n expected-year">${Du(e.expected_year)}</td><td class="time peak-month">${j(e.peak_month)}</td>
          <td class="n expected-peak">${Du(e.expected_peak_month)}</td><td class="n">${Eu(e.p_month_25)}</td>
          <td class="n">${Eu(e.p_year_1000)}</td><td>${n.map(e=>`<span class="sev-${j(e.severity)}">${j(e.severity)}</span> ${j(e.payload?.threshold?.span===`year`?`year`:`month`)}`).join(`, `)||`-`}</td></tr>`}).join(``)}</tbody></table>
    <p class="muted">The ${yu} countries with the most deaths expected in the whole year, of ${N(m.countries)}. The peak month is the month of the window with the highest probability of 25 or more
      deaths; its expected deaths are that one month's, the whole year's are the sum over the window's 12 months.
      Warnings go into the event envelope (domain intel, type conflict-warning) when recorded.</p>`,Uu(e,t)}function Vu(e){let t=e.scores.filter(e=>e.crps!==null&&e.crps!==void 0),n=Object.fromEntries(hu.map(([e])=>[e,Math.min(...t.map(t=>t[e]))])),r=e.crps_ratio;return`
    <table id="warning-evaluation"><thead><tr><th scope="col">Model</th>${hu.map(([,e])=>`<th scope="col" class="n">${j(e)}</th>`).join(``)}<th scope="col" class="n">Country-months</th>
      <th scope="col">What it is</th><th scope="col">Notes</th></tr></thead>
      <tbody>${e.scores.map(e=>`<tr data-model="${j(e.model)}"${e.model===`kompas`?` class="kompas"`:``}>
        <th scope="row">${j(e.model)}</th>${hu.map(([t])=>`<td class="n ${t}${e[t]!==null&&e[t]===n[t]?` best`:``}">${Tu(e[t],3)}</td>`).join(``)}<td class="n">${N(e.cells)}</td>
        <td class="muted">${j(mu[e.model]||``)}</td>
        <td>${e.error?`<span class="error">${j(e.error)}</span>`:`<span class="muted">${j((e.notes||[]).join(`; `))}</span>`}</td></tr>`).join(``)}</tbody></table>
    <p class="warning-ratio" id="warning-ratio">${r==null?`Kompas / conflictology CRPS ratio: not available (both models must be scored for the window).`:`Kompas / conflictology CRPS ratio: <strong>${Tu(r,3)}</strong> (${r<1?`below 1: Kompas's forecast is better than the conflictology benchmark`:r>1?`above 1: the conflictology benchmark is better than Kompas's forecast`:`equal`}).`}</p>
    <p class="muted">CRPS: continuous ranked probability score of the sample against the actual deaths; ignorance:
      the log score over the challenge's bins; MIS: the mean interval score of the central 90 % interval.</p>`}async function Hu(e,t){let[{Map:n,NavigationControl:r,setWorkerUrl:i},a]=await Promise.all([z(()=>import(`./maplibre-gl-BUwiJpK_.js`),[]),z(()=>import(`./maplibre-gl-worker-BmsAK4Ca.js`),[]),z(()=>Promise.resolve({}),__vite__mapDeps([5])),z(()=>Promise.resolve({}),__vite__mapDeps([6]))]);if(i(a.default),t.stopped||!e.isConnected)return;let o=await ju(`/api/v1/map/boundaries`,t);if(t.stopped||!e.isConnected)return;await D(e,[o.marking]);let s=e.querySelector(`#warning-map`),c=new n({container:s,style:{version:8,sources:{},layers:[{id:`sea`,type:`background`,paint:{"background-color":`#cddbe6`}}]},bounds:[[-120,-40],[150,62]],attributionControl:{compact:!1},dragRotate:!1,pitchWithRotate:!1,touchPitch:!1,maxZoom:8,fadeDuration:0});if(t.map=c,s.__map=c,c.addControl(new r({showCompass:!1}),`top-left`),await new Promise((e,t)=>{c.once(`load`,e),c.once(`error`,e=>t(Error(`the map could not start: ${e.error?.message||e}`)))}),t.stopped){c.remove();return}t.land=o,c.addSource(`countries`,{type:`geojson`,data:{type:`FeatureCollection`,features:[]},attribution:`Natural Earth (public domain); VIEWS, UCDP, ND-GAIN, IPC (see Sources)`});let l=[`interpolate`,[`linear`],[`get`,`scaled`],...Cu.flat()];c.addLayer({id:`countries-fill`,type:`fill`,source:`countries`,paint:{"fill-color":[`case`,[`has`,`scaled`],l,`#e4e4e4`]}}),c.addLayer({id:`countries-line`,type:`line`,source:`countries`,paint:{"line-color":`#8a96a3`,"line-width":.5}});let u=Object.assign(document.createElement(`div`),{className:`map-tooltip`,hidden:!0});s.append(u),c.on(`mousemove`,`countries-fill`,e=>{let t=e.features?.[0];t&&(u.hidden=!1,u.textContent=`${t.properties.name}: ${t.properties.label||`no value`}`,u.style.left=`${e.point.x+10}px`,u.style.top=`${e.point.y+10}px`)}),c.on(`mouseleave`,`countries-fill`,()=>{u.hidden=!0}),Uu(e,t)}function Uu(e,t){let n=t.map;if(!n||!t.land||!n.getSource(`countries`))return;let r=new Map,i;if(t.layer===`forecast`){for(let e of t.forecast?.rows||[])e.iso3&&r.set(e.iso3,[e.p_month_25,Eu(e.p_month_25)]);i=t.forecast?`P(25 or more deaths in the peak month), ${t.forecast.model} ${t.forecast.window}`:t.noForecast||`the forecast is still being computed`}else{for(let e of t.watchlist?.rows||[])r.set(e.iso3,[e.score/100,`${Tu(e.score,1)} (rank ${e.rank})`]);i=t.watchlist?`watchlist score, edition ${t.watchlist.year}`:`the watchlist is not loaded`}let a=t.land.features.map(e=>{let t=_u[e.properties.adm0_a3]??e.properties.adm0_a3,n=r.get(t);return{type:`Feature`,geometry:e.geometry,properties:{name:e.properties.name,iso3:t,...n?{scaled:Math.min(1,Math.max(0,n[0])),label:n[1]}:{}}}});n.getSource(`countries`).setData({type:`FeatureCollection`,features:a});let o=a.filter(e=>e.properties.scaled!==void 0).length,s=e.querySelector(`#warning-map`);s.dataset.layer=t.layer,s.dataset.coloured=String(o);let c=`linear-gradient(to right, ${Cu.map(([e,t])=>`${t} ${e*100}%`).join(`, `)})`;e.querySelector(`#warning-map-legend`).innerHTML=`${j(i)}: ${t.layer===`forecast`?`0 %`:`0`}
    <span class="warning-scale" style="background:${c}"></span>${t.layer===`forecast`?`100 %`:`100`};
    grey: no value. ${N(o)} countries coloured. Point at a country for its value.`}var Wu={"mech-battalion":`Mechanised infantry battalion (ILLUSTRATIVE)`,"light-company":`Light / airmobile company (ILLUSTRATIVE)`},Gu=[`A400M`,`C-17A`,`C-130J-30`],Ku={road:`Road`,rail:`Rail`,air:`Air`,sea:`Sea`},qu={mlc:`Bridge below the package's MLC`,weight:`Weight limit`,axle:`Axle-load limit`,height:`Too low (tunnel, bridge clearance)`,width:`Too narrow`,electric:`Not electrified`,gauge:`Gauge break`,border:`Border lead time`,runway:`Runway too short`},Ju={link:`section`,transfer:`transfer`,wait:`wait`,air:`flight`,sea:`sea passage`},Yu={road:`#7a6a53`,rail:`#0b6e99`,air:`#7b2cbf`,sea:`#2e7d32`,plan:`#e07000`,obstacle:`#c8102e`,removed:`#111111`,detour:`#d6338a`,ends:`#111111`},Xu=`gauge-test`,Zu=3,Qu=30,$u=6,ed=[`match`,[`geometry-type`],[`LineString`,`MultiLineString`],!0,!1],td=[`match`,[`geometry-type`],[`Point`,`MultiPoint`],!0,!1],nd=`<style>
  .mob-wrap { display: grid; grid-template-columns: minmax(0, 1fr) 19em; gap: 1em; height: 560px; }
  .mob-wrap .map { position: relative; border: 1px solid var(--line, #ccc); border-radius: 4px; overflow: hidden;
    background: #cddbe6; }
  .mob-side { overflow: auto; margin: 0; } .mob-side .mark { overflow-wrap: anywhere; }
  .mob-form .modes { border: 0; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: .2em .8em; }
  .mob-form .modes legend { font-size: .9em; color: var(--muted); padding: 0; }
  .mob-verdict { font-size: 1.1em; } .mob-verdict .ok { color: #007a33; font-weight: 600; }
  .mob-verdict .no { color: #c8102e; font-weight: 600; }
  .mob-illustrative { border-left: 4px solid #e07000; background: #fff6ea; padding: .4em .8em; }
  table.mob-obstacles tr.obstacle td:first-child { border-left: 4px solid #c8102e; }
  table.mob-obstacles tr.blocks { background: #fde7ea; }
  table.mob-obstacles td.cost { font-weight: 600; color: #a00d25; }
  table.mob-legs tr.wait, table.mob-legs tr.transfer { background: #fff4c2; }
  table.mob-legs tr.chosen, table.mob-rank tr.chosen { outline: 2px solid #111; }
  .mob-scroll { max-height: 28em; overflow: auto; }
  .mob-outcome.failed { color: #c8102e; font-weight: 600; }
  @media (max-width: 900px) { .mob-wrap { grid-template-columns: 1fr; height: auto; }
    .mob-wrap .map { height: 420px; } }
</style>`,rd=e=>new Promise(t=>setTimeout(t,e*1e3)),id=(e,t=1)=>e==null?`-`:N(Number(e).toFixed(t)),ad=e=>e==null?`-`:Math.abs(e)<1?`${Math.round(e*60)} min`:Math.abs(e)>=48?`${id(e,1)} h (${id(e/24,1)} d)`:`${id(e,1)} h`,od=(e,t)=>e&&t!=null?`${M(Date.parse(e)+t*36e5,0).slice(0,16)}Z`:`-`;function sd(e){return typeof e==`string`?e:Array.isArray(e)?e.map(e=>e&&typeof e==`object`?`${(e.loc||[]).filter(e=>![`body`,`query`].includes(e)).join(`.`)}: ${e.msg??``}`:String(e)).join(`; `):JSON.stringify(e)}async function cd(e,{method:t=`GET`,body:i}={}){let a={Authorization:`Bearer ${r()??``}`};i!==void 0&&(a[`Content-Type`]=`application/json`);let o;for(let n=0;o=await fetch(e,{method:t,headers:a,body:i===void 0?void 0:JSON.stringify(i)}),!(o.status!==429&&o.status!==503||n===Zu);n+=1)await rd(Math.min(Math.max(Number(o.headers.get(`Retry-After`))||1,1),Qu));if(o.status===401)throw new n(`sign in again`);if(!o.ok){let e=o.statusText;try{e=sd((await o.json()).detail)}catch{}throw o.status===503&&(e=`the server is computing as many mobility plans as it allows at once (${e}); try again`),Error(`${e} (HTTP ${o.status})`)}return o.json()}function ld(e,t){let n=new Map;for(let t of e||[]){let e=`${t.attribution||t.name}${t.licence?` (${t.licence})`:``}${t.note?`; ${t.note}`:``}`;n.set(t.attribution||t.name,e)}let r=[...n.values()];return`<p class="licence" id="${t}"><strong>Sources and licences:</strong> ${r.length?r.map(j).join(` · `):`none given`}</p>`}function ud(){return`${new Date().toISOString().slice(0,16)}Z`}async function dd(e){let t=new URLSearchParams(location.hash.split(`?`)[1]||``),r={stopped:!1,networks:[],layer:null,answer:null,body:null,routing:0,stressing:0,ranking:0,queue:Promise.resolve(),map:null,layerFor:null,layerReady:Promise.resolve(),names:new Map,planGeo:null};e.innerHTML=`${nd}
    <h1>Military mobility: can this force move there, by when, and what stops it</h1>
    <p class="muted">The fastest feasible plan for a force package over roads, railways, airfields and ports, with
      every obstacle on the ideal route named and costed (a bridge below the package's military load class, a rail
      gauge break, a runway too short, a tunnel too low, a border's lead time for movement permission), the waits and
      transfers, the throughput of the narrowest element and the alternatives by mode. Unknown limits are taken as
      passable and said so. Answers carry the marking of the network as you see it (the open data and the
      contributions you may see). Times are UTC.</p>
    <p class="mob-illustrative" id="mob-illustrative-note"><strong>ILLUSTRATIVE inputs.</strong> The force packages
      and the border lead times shipped with Kompas are ILLUSTRATIVE (no open force data or member-state lead-time
      table exists; vehicle figures are cited from public sources), and the gauge-test network is a small hand-built
      test network (no open extract of a gauge-break border exists), not real data.</p>
    <form class="filters card mob-form" id="mob-form" aria-label="Plan a movement">
      <label>Network<select name="network"><option value="${Xu}">${Xu}</option></select>
      </label>
      <label>Corridor<select name="corridor"><option value="">(type the places)</option></select></label>
      <label>From<input name="from" size="22" maxlength="200" list="mob-places" required
        title="A place id (rinf:EU00004), a name or 'lat,lon'"></label>
      <label>To<input name="to" size="22" maxlength="200" list="mob-places" required
        title="A place id, a name or 'lat,lon'"></label>
      <label>Package<select name="package">${Object.entries(Wu).map(([e,t])=>`<option value="${e}">${j(t)}
        </option>`).join(``)}</select></label>
      <label>Start (UTC)<input name="start" size="18" data-utc inputmode="numeric" placeholder="2026-12-01T06:00"
        title="ISO 8601, UTC: when the movement starts and permissions are asked for"></label>
      <label>By (UTC)<input name="by" size="18" data-utc inputmode="numeric" placeholder="2026-12-10"
        title="ISO 8601, UTC: must the whole package be there by then? (empty: no deadline)"></label>
      <fieldset class="modes"><legend>Modes (none ticked: all)</legend>${Object.entries(Ku).map(([e,t])=>`<label
        class="check"><input type="checkbox" name="mode" value="${e}"> ${j(t)}</label>`).join(``)}</fieldset>
      <label>Aircraft<select name="aircraft"><option value="">any that fits</option>${Gu.map(e=>`<option
        value="${e}">${j(e)}</option>`).join(``)}</select></label>
      <button type="submit">Plan the movement</button>
      <span id="mob-status" class="muted" role="status" aria-live="polite"></span>
      <datalist id="mob-places"></datalist>
    </form>
    <section aria-labelledby="mob-plan-title">
      <h2 id="mob-plan-title">Plan</h2>
      <div id="mob-summary" aria-live="polite"><p class="muted">Loading…</p></div>
      <h3 id="mob-obstacles-title">Obstacles on the ideal route, with what each costs</h3>
      <p class="muted">The cost of an obstacle is the time it adds when it alone is enforced; "blocks" when there is
        no way round it.</p>
      <table id="mob-obstacles" class="mob-obstacles" aria-labelledby="mob-obstacles-title"><thead><tr>
        <th scope="col">Obstacle</th><th scope="col">Element</th><th scope="col">Why</th>
        <th scope="col" class="n">Costs</th><th scope="col">What if</th></tr></thead>
        <tbody><tr><td colspan="5" class="muted">Loading…</td></tr></tbody></table>
      <h3 id="mob-legs-title">Legs, waits and transfers</h3>
      <div class="mob-scroll"><table id="mob-legs" class="mob-legs" aria-labelledby="mob-legs-title"><thead><tr>
        <th scope="col">#</th><th scope="col">Kind</th><th scope="col">Mode</th><th scope="col">Name</th>
        <th scope="col">From</th><th scope="col">To</th><th scope="col" class="n">km</th>
        <th scope="col">Starts (UTC)</th><th scope="col" class="n">Takes</th><th scope="col">What if</th></tr></thead>
        <tbody><tr><td colspan="10" class="muted">Loading…</td></tr></tbody></table></div>
      <div id="mob-details"></div>
      <h3 id="mob-alternatives-title">Alternatives by mode</h3>
      <table id="mob-alternatives" aria-labelledby="mob-alternatives-title"><thead><tr><th scope="col">Modes</th>
        <th scope="col">Feasible</th><th scope="col" class="n">Lead vehicle</th><th scope="col" class="n">Whole
        package</th><th scope="col" class="n">km</th><th scope="col" class="n">Legs</th><th scope="col"></th></tr>
        </thead><tbody><tr><td colspan="7" class="muted">Loading…</td></tr></tbody></table>
      <div id="mob-licence-wrap"></div>
    </section>
    <section class="card" aria-labelledby="mob-whatif-title">
      <h2 id="mob-whatif-title">What if it is lost?</h2>
      <p class="muted">"What if it is lost?" beside an obstacle, a leg or a ranked element plans this movement again
        without it (a bridge, a junction, a transfer, the border crossing, an airfield): whether it still gets
        through, and what the detour costs. The detour is drawn on the map.</p>
      <div id="mob-whatif" aria-live="polite"><p class="muted">Nothing removed yet.</p></div>
    </section>
    <section aria-labelledby="mob-rank-title">
      <h2 id="mob-rank-title">The most critical elements</h2>
      <form class="filters" id="mob-rank-form" aria-label="Rank the critical elements">
        <label>Corridors<select name="scope"><option value="network">the network's corridors</option>
          <option value="plan">this plan's origin and destination</option></select></label>
        <label>Elements at most<input name="limit" type="number" min="1" max="500" value="15" style="width:5em">
        </label>
        <button type="submit">Rank the elements</button>
      </form>
      <div id="mob-rank" aria-live="polite"><p class="muted">The elements whose loss breaks the most corridors, then
        adds the most hours (computed when you ask: about two seconds on the German rail network).</p></div>
    </section>
    <section aria-labelledby="mob-map-title">
      <h2 id="mob-map-title">Map</h2>
      <div class="mob-wrap">
        <div class="map" id="mob-map" role="application" aria-label="Map of the network, the plan and its
          obstacles"></div>
        <aside class="card mob-side" aria-label="Legend">
          <h3>Legend</h3>
          <ul class="map-legend">
            <li><span class="swatch line" style="border-top-color:${Yu.road}" aria-hidden="true"></span>Road</li>
            <li><span class="swatch line" style="border-top-color:${Yu.rail}" aria-hidden="true"></span>Rail</li>
            <li><span class="swatch line" style="border-top-color:${Yu.plan}" aria-hidden="true"></span>The plan
              (waits and transfers as points)</li>
            <li><span class="swatch point" style="background:${Yu.obstacle}" aria-hidden="true"></span>Obstacle
              (larger: blocks)</li>
            <li><span class="swatch point" style="background:${Yu.removed}" aria-hidden="true"></span>Removed in
              the last "what if"</li>
            <li><span class="swatch line" style="border-top-color:${Yu.detour}" aria-hidden="true"></span>The
              detour after the loss</li>
          </ul>
          <p class="muted" id="mob-layer-status" aria-live="polite">Network layer: loading…</p>
          <p class="muted">Point at an item for its name; click it for its details (an obstacle's popup offers "what
            if it is lost?").</p>
          <div id="mob-map-licence"></div>
        </aside>
      </div>
    </section>`;let i=e.querySelector(`#mob-form`),a=e.querySelector(`#mob-status`),o=i.elements,s=async(t,i,a)=>{if(i instanceof n)throw i;if(await D(e,[]).catch(()=>{}),r.stopped||!e.isConnected)return;let o=[`SPAN`,`P`].includes(t.tagName)?`span`:`p`;t.innerHTML=`<${o} class="error" role="alert">${j(a)}: ${j(i.message)}</${o}>`},c=e=>{let t=r.queue.then(e,e);return r.queue=t.catch(()=>{}),t};r.networks=await cd(`/api/v1/mobility/networks`);let l=Object.fromEntries(r.networks.map(e=>[e.name,e]));o.network.innerHTML=r.networks.map(e=>`<option value="${j(e.name)}"${e.available?``:` disabled`}>
    ${j(e.name)}: ${j(e.about)}${e.available?` (${N(e.counts.places)} places, ${N(e.counts.links)}
    links)`:` (its data is not on this server)`}</option>`).join(``);let u=t=>{let n=l[t]?.corridors||[];return o.corridor.innerHTML=`<option value="">(type the places)</option>${n.map((e,t)=>`<option
      value="${t}">${j(e.name)}</option>`).join(``)}`,o.corridor.disabled=!n.length,e.querySelector(`#mob-rank-form`).elements.scope.value=n.length?`network`:`plan`,n},d=e=>{let t=(l[o.network.value]?.corridors||[])[Number(e)];t&&(o.from.value=t.from,o.to.value=t.to)},f=t.get(`network`);o.network.value=f&&l[f]?.available?f:l[Xu]?.available?Xu:r.networks.find(e=>e.available)?.name||Xu;let p=u(o.network.value);o.from.value=t.get(`from`)||``,o.to.value=t.get(`to`)||``,o.from.value&&o.to.value||!p.length||(o.corridor.value=`0`,d(0));let m=p.findIndex(e=>e.from===o.from.value&&e.to===o.to.value);m>=0&&(o.corridor.value=String(m)),o.package.value=Wu[t.get(`package`)]?t.get(`package`):`mech-battalion`,o.start.value=t.get(`start`)||ud(),o.by.value=t.get(`by`)||``;for(let e of i.querySelectorAll(`input[name=mode]`))e.checked=t.getAll(`mode`).includes(e.value);o.aircraft.value=Gu.includes(t.get(`aircraft`))?t.get(`aircraft`):``,o.corridor.addEventListener(`change`,()=>d(o.corridor.value)),o.network.addEventListener(`change`,()=>{let t=u(o.network.value);o.from.value=``,o.to.value=``,t.length&&(o.corridor.value=`0`,d(0)),r.routing+=1,r.stressing+=1,r.ranking+=1,r.answer=null,r.planGeo=null,v(),e.querySelector(`#mob-licence-wrap`).innerHTML=``,e.querySelector(`#mob-whatif`).innerHTML=`<p class="muted">Nothing removed yet.</p>`,e.querySelector(`#mob-rank`).innerHTML=`<p class="muted">Not ranked yet for ${j(o.network.value)}.</p>`,r.map?.clear(),r.layerReady=C(o.network.value).catch(()=>{})});let h=()=>{for(let e of[`start`,`by`])o[e].removeAttribute(`aria-invalid`);let e={network:o.network.value,from:o.from.value.trim(),to:o.to.value.trim(),package_name:o.package.value,alternatives:!0};for(let[t,n]of[[`start`,`start_utc`],[`by`,`by_utc`]]){let r=o[t].value.trim();if(!r)continue;let i=I(r);if(!i)return o[t].setAttribute(`aria-invalid`,`true`),null;e[n]=i}e.start_utc||=`${ud().slice(0,16)}:00Z`;let t=[...i.querySelectorAll(`input[name=mode]:checked`)].map(e=>e.value);return t.length&&(e.modes=t),o.aircraft.value&&(e.aircraft=o.aircraft.value),e},g=e=>{let t=new URLSearchParams({network:e.network,from:e.from,to:e.to,package:e.package_name,start:o.start.value.trim()});o.by.value.trim()&&t.set(`by`,o.by.value.trim());for(let n of e.modes||[])t.append(`mode`,n);e.aircraft&&t.set(`aircraft`,e.aircraft),history.replaceState(null,``,`#/mobility?${t}`)},_=async()=>{let t=h();if(!t){a.innerHTML=`<span class="error" role="alert">A time is ISO 8601 UTC: 2026-12-01 or
        2026-12-01T06:00Z.</span>`;return}if(!t.from||!t.to){a.innerHTML=`<span class="error" role="alert">Give where from and where to (a corridor, a place id, a
        name or "lat,lon").</span>`;return}let n=++r.routing;g(t),a.textContent=`Planning…`;let i;try{i=await c(()=>cd(`/api/v1/mobility/route`,{method:`POST`,body:t}))}catch(t){if(n!==r.routing)return;await s(a,t,`No plan`),r.answer||v();let i=e.querySelector(`#mob-verdict`);i&&!e.querySelector(`#mob-stale`)&&i.insertAdjacentHTML(`beforebegin`,`<p id="mob-stale" class="no">The plan below is the previous one,
          not an answer to the form as it is now.</p>`);return}await r.layerReady,n!==r.routing||r.stopped||(await D(e,[i.marking]),n===r.routing&&!r.stopped&&e.isConnected&&(a.textContent=``,r.answer=i,r.body=t,b(i),c(()=>cd(`/api/v1/mobility/route.geojson`,{method:`POST`,body:t})).then(async t=>{n!==r.routing||r.stopped||(await D(e,[t.marking]),n===r.routing&&!r.stopped&&e.isConnected&&(r.planGeo=t,r.map?.plan(t,i)))}).catch(t=>s(e.querySelector(`#mob-layer-status`),t,`The plan could not be drawn`))))},v=()=>{e.querySelector(`#mob-summary`).innerHTML=`<p class="muted">No plan shown.</p>`;for(let t of[`#mob-obstacles`,`#mob-legs`,`#mob-alternatives`]){let n=e.querySelector(t);n.tBodies[0].innerHTML=`<tr><td colspan="${n.tHead.rows[0].cells.length}" class="muted">Nothing
        shown.</td></tr>`}},y=(e,t)=>{let n=e.plan;return n.origin.id===t?n.origin.name:n.destination.id===t?n.destination.name:r.names?.get(t)||t},b=t=>{let n=t.plan,r=t.package,i=[...new Set(n.legs.map(e=>e.mode).filter(Boolean))],a=n.by_utc&&n.complete_hours!==null?(Date.parse(n.start_utc)+n.complete_hours*36e5-Date.parse(n.by_utc))/36e5:null,o=[t.illustrative?.package?`the package (${r.name})`:``,t.illustrative?.lead_times?`the border lead times`:``,t.illustrative?.network?`the network (the hand-built gauge-break test network)`:``].filter(Boolean),s=t.lead_times||{},c=Object.entries(s.days||{}).map(([e,t])=>`${e} ${id(t,1)} d`).join(`, `),l=n.throughput,u=l?.elements?.find(e=>e.id===l.narrowest);e.querySelector(`#mob-summary`).innerHTML=`
      <p class="mob-verdict" id="mob-verdict">${n.feasible?`${n.meets_by===!1?`<span class="no">Feasible, but not there by ${j(M(n.by_utc,0))}</span>`:`<span class="ok">Feasible</span>`}: ${j(n.origin.name)} → ${j(n.destination.name)}, ${id(n.km,1)} km by ${j(i.join(` and `))}; the lead
        vehicle arrives after <strong>${j(ad(n.hours))}</strong> (${j(od(n.start_utc,n.hours))}), the
        whole package after <strong>${j(ad(n.complete_hours))}</strong> (${j(od(n.start_utc,n.complete_hours))}); ${j(ad(n.ideal_hours))} without the obstacles.`:`<span class="no">No feasible
        plan</span> from ${j(n.origin.name)} to ${j(n.destination.name)} by ${j(n.modes.join(`, `))}: ${j(n.why_none||`blocked by the obstacles below`)}.`}
        <span class="mark">${j(t.banner)}</span></p>
      ${n.by_utc?`<p id="mob-by">${n.meets_by?`<span class="ok">Arrives by ${j(M(n.by_utc,0))}</span>`:`<span class="no">Not there by ${j(M(n.by_utc,0))}</span>${a!==null&&a>0?`: the last
        vehicle is ${j(ad(a))} late`:``}`}.</p>`:``}
      <p id="mob-package">Package: ${j(r.name)}: ${N(r.vehicles)} vehicles, ${N(r.personnel)}
        personnel; heaviest ${id(r.heaviest_t,1)} t, MLC ${j(r.max_mlc)}, axle ${id(r.max_axle_t,1)} t,
        ${id(r.max_height_m,2)} m high, ${id(r.max_width_m,2)} m wide${t.aircraft?`; aircraft
        ${j(t.aircraft)}${t.aircraft_chosen_by===`fewest sorties`?` (the type needing the fewest sorties)`:``}`:``}. <span class="muted">${j(r.source)}</span></p>
      ${Object.keys(n.unable||{}).length?`<p id="mob-unable">${Object.entries(n.unable).map(([e,t])=>`The package cannot go by ${j(e)}: ${j(t)}.`).join(` `)}</p>`:``}
      ${r.estimated?.length?`<details><summary>${N(r.estimated.length)} figure(s) estimated or
        computed</summary><ul>${r.estimated.map(e=>`<li>${j(e)}</li>`).join(``)}</ul></details>`:``}
      ${l?.narrowest?`<p id="mob-throughput">Throughput: ${N(l.vehicles_per_day)} vehicles a
        day, limited by ${j(u?.name||l.narrowest)}.</p>`:``}
      <p id="mob-leads">Border lead times (calendar days the planner waits for permission${s.unit===`working`?`, from the table's working days`:``}): ${j(c||`none on this network`)}. The Compass's target:
        cross-border procedures harmonised by ${j(s.target_year??`-`)}${s.target_days!==null&&s.target_days!==void 0?` (${id(s.target_days,0)} days)`:` (no number of days set)`}.
        <span class="muted">${j(s.target_source||``)}</span></p>
      ${o.length?`<p class="mob-illustrative" id="mob-illustrative">ILLUSTRATIVE: ${j(o.join(`; `))} — not real data.</p>`:``}
      ${n.assumptions.length?`<p id="mob-assumptions">Assumptions: ${n.assumptions.map(j).join(`; `)}.</p>`:``}
      ${t.rejections?.length?`<p class="error">Rejected input: ${t.rejections.map(e=>j(`${e.source} ${e.line??``} ${e.field??``}: ${e.reason}`)).join(`; `)}</p>`:``}`;let d=e.querySelector(`#mob-obstacles`);d.tBodies[0].innerHTML=n.obstacles.map((e,t)=>`<tr class="obstacle${e.blocks?` blocks`:``}"
      data-k="${t}" data-kind="${j(e.kind)}" data-element="${j(e.element)}"><td>${j(qu[e.kind]||e.kind)}</td><td>${j(e.name)} <span class="muted">${j(e.element)}</span></td><td>${j(e.reason)}</td>
      <td class="n cost">${e.blocks?`blocks`:e.cost_hours===null?`not costed`:`+${j(ad(e.cost_hours))}`}
      </td><td><button type="button" class="linkish whatif" data-element="${j(e.element)}" data-label="${j(e.name)}">What if it is lost?</button></td></tr>`).join(``)||`<tr><td colspan="5" class="muted">None: nothing
      on the ideal route stops or slows this package (unknown limits are taken as passable: see the assumptions).
      </td></tr>`,d.dataset.rows=String(n.obstacles.length);let f=e.querySelector(`#mob-legs`);f.tBodies[0].innerHTML=n.legs.map((e,r)=>{let i=e.kind===`wait`?e.from:[`air`,`sea`].includes(e.kind)?e.to:e.id,a=e.kind===`wait`?`the crossing at ${y(t,e.from)}`:[`air`,`sea`].includes(e.kind)?y(t,e.to):e.name;return`<tr class="${j(e.kind)}" data-k="${r}" data-id="${j(e.id)}"><td>${r+1}</td>
        <td>${j(Ju[e.kind]||e.kind)}</td><td>${j(e.mode||`-`)}</td><td>${j(e.name)}</td>
        <td>${j(y(t,e.from))}</td><td>${j(y(t,e.to))}</td>
        <td class="n">${e.km?id(e.km,1):`-`}</td><td class="time">${j(od(n.start_utc,e.start_h))}</td>
        <td class="n">${j(ad(e.end_h-e.start_h))}</td><td><button type="button" class="linkish whatif"
        data-element="${j(i)}" data-label="${j(a)}">What if it is lost?</button></td></tr>`}).join(``)||`<tr><td colspan="10" class="muted">No legs: no feasible plan.</td></tr>`,f.dataset.rows=String(n.legs.length);let p=e.querySelector(`#mob-alternatives`);p.tBodies[0].innerHTML=(t.alternatives||[]).map(e=>`<tr data-modes="${j(e.modes.join(`,`))}"><td>${j(e.modes.join(` + `))}</td><td>${e.feasible?`yes`:`no`}</td>
      <td class="n">${j(ad(e.hours))}</td><td class="n">${j(ad(e.complete_hours))}</td>
      <td class="n">${e.feasible?id(e.km,1):`-`}</td><td class="n">${e.feasible?N(e.legs):`-`}</td>
      <td>${e.feasible?`<button type="button" class="linkish use-modes" data-modes="${j(e.modes.join(`,`))}">Plan
      with these modes</button>`:``}</td></tr>`).join(``)||`<tr><td colspan="7" class="muted">None asked for.
      </td></tr>`,e.querySelector(`#mob-licence-wrap`).innerHTML=ld(t.sources,`mob-licence`)},x=async(t,n)=>{let i=r.answer,a=e.querySelector(`#mob-whatif`);if(!i)return;let o=++r.stressing;a.innerHTML=`<p class="muted">Planning again without ${j(n||t)}…</p>`,e.querySelector(`#mob-whatif-title`).scrollIntoView({block:`start`});let l={network:i.network,remove:[t],package_name:r.body.package_name,corridors:[[i.plan.origin.id,i.plan.destination.id]]},u;try{u=await c(()=>cd(`/api/v1/mobility/stress`,{method:`POST`,body:l}))}catch(e){o===r.stressing&&await s(a,e,`No answer`);return}if(o!==r.stressing||r.stopped||(await D(e,[u.marking]),o!==r.stressing||r.stopped||!e.isConnected))return;a.innerHTML=`<p id="mob-removed">Removed: ${u.removed.map(e=>e===t&&n?`${n} (${e})`:e).map(j).join(`, `)}. <span class="mark">${j(u.banner)}</span></p>
      <table id="mob-outcomes"><thead><tr><th scope="col">Corridor</th><th scope="col" class="n">Before</th>
        <th scope="col" class="n">After</th><th scope="col" class="n">Added</th><th scope="col">Outcome</th></tr>
      </thead><tbody>${u.outcomes.map(e=>`<tr data-failed="${e.failed}"><td>${j(e.corridor)}</td>
        <td class="n">${j(ad(e.before_hours))}</td><td class="n">${j(ad(e.after_hours))}</td>
        <td class="n">${e.failed?`-`:`+${j(ad(e.added_hours))}`}</td><td class="mob-outcome${e.failed?` failed`:``}">${e.failed?`fails: no feasible plan without it`:e.added_hours>0?`gets through, by a detour`:e.lost.length?`gets through, no slower`:`not on this plan's route: no change`}</td></tr>`).join(``)}</tbody></table>
      <p class="muted">The package (${j(u.package?.name||``)}) is planned again with every mode; the
        plan above is unchanged.</p>
      ${ld(u.sources,`mob-whatif-licence`)}`;let d=Object.values(u.plans||{})[0];r.map?.stressed(u.removed,d)};e.addEventListener(`click`,t=>{let n=t.target.closest(`button.whatif`);if(n&&e.contains(n)){x(n.dataset.element,n.dataset.label);return}let a=t.target.closest(`button.use-modes`);if(a){let e=a.dataset.modes.split(`,`);for(let t of i.querySelectorAll(`input[name=mode]`))t.checked=e.includes(t.value);_();return}let o=t.target.closest(`#mob-legs tbody tr[data-id], #mob-rank-table tbody tr[data-element]`);if(o){for(let t of e.querySelectorAll(`tr.chosen`))t.classList.remove(`chosen`);o.classList.add(`chosen`),r.map?.focus(o.dataset.id||o.dataset.element)}});let S=e.querySelector(`#mob-rank-form`);S.addEventListener(`submit`,async t=>{t.preventDefault();let n=e.querySelector(`#mob-rank`),i=o.network.value,a={network:i,package_name:o.package.value,limit:Number(S.elements.limit.value)||15};if(S.elements.scope.value===`plan`||!(l[i]?.corridors||[]).length){let e=r.answer?.network===i?r.answer.plan.origin.id:o.from.value.trim(),t=r.answer?.network===i?r.answer.plan.destination.id:o.to.value.trim();if(!e||!t){n.innerHTML=`<p class="error" role="alert">This network has no corridors: give where from and where to
          above.</p>`;return}a.corridors=[[e,t]]}let u=++r.ranking;n.innerHTML=`<p class="muted">Ranking…</p>`;let d;try{d=await c(()=>cd(`/api/v1/mobility/rank`,{method:`POST`,body:a}))}catch(e){u===r.ranking&&await s(n,e,`Not ranked`);return}u!==r.ranking||r.stopped||(await D(e,[d.marking]),u===r.ranking&&!r.stopped&&e.isConnected&&(n.innerHTML=`<p>${N(d.ranking.length)} element(s) ranked over ${N(d.corridors.length)}
      corridor(s) of ${j(d.network)} for ${j(d.package?.name||``)}. <span class="mark">${j(d.banner)}</span></p>
      <details><summary>The corridors</summary><ul>${d.corridors.map(e=>`<li>${j(e.name)} <span
        class="muted">${j(e.from)} → ${j(e.to)}</span></li>`).join(``)}</ul></details>
      <div class="mob-scroll"><table id="mob-rank-table" class="mob-rank"><thead><tr><th scope="col">#</th>
        <th scope="col">Element</th><th scope="col">Kind</th><th scope="col">Section</th>
        <th scope="col" class="n">Corridors broken</th><th scope="col" class="n">Hours added</th>
        <th scope="col">What if</th></tr></thead><tbody>${d.ranking.map((e,t)=>`<tr data-element="${j(e.element)}" title="${j(e.failed.join(`; `))}"><td>${t+1}</td><td>${j(e.name)} <span class="muted">${j(e.element)}</span></td><td>${j(e.kind)}</td><td>${j(e.section||`-`)}</td><td class="n">${N(e.failed.length)}</td><td class="n">${e.failed.length&&!e.added_hours?`-`:`+${j(ad(e.added_hours))}`}</td><td><button type="button"
        class="linkish whatif" data-element="${j(e.element)}" data-label="${j(e.name)}">What if it is lost?
        </button></td></tr>`).join(``)||`<tr><td colspan="7" class="muted">Nothing ranked: no element's loss
        breaks or slows these corridors.</td></tr>`}</tbody></table></div>
      ${ld(d.sources,`mob-rank-licence`)}`))});let C=async t=>{r.layerFor=t;let n=e.querySelector(`#mob-layer-status`);n.textContent=`Network layer (${t}): loading…`;let i;try{i=await cd(`/api/v1/mobility/network.geojson?network=${encodeURIComponent(t)}`)}catch(e){r.layerFor===t&&await s(n,e,`Network layer`);return}if(r.layerFor!==t||r.stopped||(await D(e,[i.marking]),r.layerFor!==t||r.stopped||!e.isConnected))return;r.layer=i,r.names=new Map(i.features.filter(e=>e.properties.id&&e.properties.name).map(e=>[e.properties.id,e.properties.name]));let a=i.features.filter(e=>e.properties.kind!==`link`&&e.properties.name);e.querySelector(`#mob-places`).innerHTML=a.slice(0,1e4).map(e=>`<option value="${j(e.properties.id)}">${j(e.properties.name)}</option>`).join(``);let o=i.features.filter(e=>e.properties.kind===`link`).length;n.innerHTML=`Network layer (${j(t)}): ${N(o)} links, ${N(i.features.length-o)}
      places and airfields${i.truncated?` (more links than drawn)`:``}. <span class="mark">${j(i.banner)}</span>`,e.querySelector(`#mob-map-licence`).innerHTML=ld(i.kompas?.sources,`mob-map-sources`),r.map?.network(i)};return i.addEventListener(`submit`,e=>{e.preventDefault(),_()}),fd(e,r,x).then(e=>{r.stopped?e?.remove():(r.map=e,e&&(r.layer&&e.network(r.layer),r.planGeo&&r.answer&&e.plan(r.planGeo,r.answer)))}).catch(t=>s(e.querySelector(`#mob-layer-status`),t,`The map could not be drawn`)).catch(()=>{}),r.layerReady=C(o.network.value).catch(()=>{}),o.from.value&&o.to.value?await _():v(),()=>{r.stopped=!0,r.map?.remove()}}async function fd(e,t,n){let[{Map:r,NavigationControl:i,Popup:a,ScaleControl:o,setWorkerUrl:s},c]=await Promise.all([z(()=>import(`./maplibre-gl-BUwiJpK_.js`),[]),z(()=>import(`./maplibre-gl-worker-BmsAK4Ca.js`),[]),z(()=>Promise.resolve({}),__vite__mapDeps([5])),z(()=>Promise.resolve({}),__vite__mapDeps([6]))]);if(s(c.default),t.stopped||!e.isConnected)return null;let{layers:l}=await y(`/api/v1/map/layers`),u=l.find(e=>e.id===`boundaries`),d=e.querySelector(`#mob-map`),f=new r({container:d,style:{version:8,sources:{},layers:[{id:`sea`,type:`background`,paint:{"background-color":`#cddbe6`}}]},bounds:[[5,47],[30,60]],attributionControl:{compact:!1},dragRotate:!1,pitchWithRotate:!1,touchPitch:!1,maxZoom:15,fadeDuration:0});if(f.keyboard.enable(),f.addControl(new i({showCompass:!1}),`top-left`),f.addControl(new o({unit:`metric`}),`bottom-left`),d.__map=f,await new Promise((e,t)=>{f.once(`load`,e),f.once(`error`,e=>t(Error(`the map could not start: ${e.error?.message||e}`)))}),t.stopped||!e.isConnected)return f.remove(),null;let p=()=>({type:`FeatureCollection`,features:[]});for(let e of[`mob-plan`,`mob-detour`,`mob-removed`,`mob-obstacles`,`mob-ends`,`mob-focus`])f.addSource(e,{type:`geojson`,data:p()});let m=(e,t)=>{for(let e of[`network-line`,`network-point`])f.getLayer(e)&&f.removeLayer(e);f.getSource(`mob-network`)&&f.removeSource(`mob-network`),f.addSource(`mob-network`,{type:`geojson`,data:e,attribution:t}),f.addLayer({id:`network-line`,type:`line`,source:`mob-network`,filter:ed,layout:{"line-cap":`round`,"line-join":`round`},paint:{"line-color":[`match`,[`get`,`mode`],`rail`,Yu.rail,`road`,Yu.road,`#888888`],"line-width":[`case`,[`to-boolean`,[`get`,`bridge`]],3,1.4],"line-opacity":.75}},`plan-line`),f.addLayer({id:`network-point`,type:`circle`,source:`mob-network`,filter:td,paint:{"circle-radius":[`interpolate`,[`linear`],[`zoom`],5,[`match`,[`get`,`place_kind`],`border`,3.5,`airfield`,3.5,`port`,3.5,.8],11,[`match`,[`get`,`place_kind`],`border`,6,`airfield`,6,`port`,6,3]],"circle-color":[`match`,[`get`,`place_kind`],`border`,`#444444`,`airfield`,Yu.air,`port`,Yu.sea,`#ffffff`],"circle-stroke-color":`#555555`,"circle-stroke-width":[`interpolate`,[`linear`],[`zoom`],5,.3,11,1]}},`plan-line`)};f.addLayer({id:`plan-line`,type:`line`,source:`mob-plan`,filter:ed,layout:{"line-cap":`round`,"line-join":`round`},paint:{"line-color":Yu.plan,"line-width":5,"line-opacity":.9}}),f.addLayer({id:`plan-point`,type:`circle`,source:`mob-plan`,filter:td,paint:{"circle-radius":6,"circle-color":`#fff4c2`,"circle-stroke-color":Yu.plan,"circle-stroke-width":3}}),f.addLayer({id:`detour-line`,type:`line`,source:`mob-detour`,filter:ed,paint:{"line-color":Yu.detour,"line-width":3,"line-dasharray":[2,1]}}),f.addLayer({id:`removed-line`,type:`line`,source:`mob-removed`,filter:ed,paint:{"line-color":Yu.removed,"line-width":6}}),f.addLayer({id:`removed-point`,type:`circle`,source:`mob-removed`,filter:td,paint:{"circle-radius":8,"circle-color":Yu.removed}}),f.addLayer({id:`focus-line`,type:`line`,source:`mob-focus`,filter:ed,paint:{"line-color":`#ffd400`,"line-width":4}}),f.addLayer({id:`focus-point`,type:`circle`,source:`mob-focus`,filter:td,paint:{"circle-radius":9,"circle-color":`rgba(0,0,0,0)`,"circle-stroke-color":`#ffd400`,"circle-stroke-width":3}}),f.addLayer({id:`ends-point`,type:`circle`,source:`mob-ends`,paint:{"circle-radius":7,"circle-color":[`match`,[`get`,`end`],`origin`,`#ffffff`,Yu.ends],"circle-stroke-color":Yu.ends,"circle-stroke-width":2.5}}),f.addLayer({id:`obstacles-point`,type:`circle`,source:`mob-obstacles`,paint:{"circle-radius":[`case`,[`get`,`blocks`],10,8],"circle-color":Yu.obstacle,"circle-opacity":.9,"circle-stroke-color":`#ffffff`,"circle-stroke-width":2}}),u&&y(u.href).then(async n=>{if(await D(e,[n.marking]),t.stopped||!e.isConnected)return;f.addSource(`boundaries`,{type:`geojson`,data:n,attribution:j(u.attribution)});let r=f.getLayer(`network-line`)?`network-line`:`plan-line`;f.addLayer({id:`boundaries-fill`,type:`fill`,source:`boundaries`,paint:{"fill-color":u.fill||`#f3f1ea`}},r),f.addLayer({id:`boundaries-line`,type:`line`,source:`boundaries`,paint:{"line-color":u.colour||`#8a96a3`,"line-width":.6}},r)}).catch(()=>{});let h=Object.assign(document.createElement(`div`),{className:`map-tooltip`,hidden:!0});d.append(h);let g=[`obstacles-point`,`ends-point`,`plan-point`,`plan-line`,`removed-point`,`network-point`,`network-line`],_=e=>{let t=f.queryRenderedFeatures([[e.x-$u,e.y-$u],[e.x+$u,e.y+$u]],{layers:g.filter(e=>f.getLayer(e))});return t.sort((e,t)=>g.indexOf(e.layer.id)-g.indexOf(t.layer.id)),t[0]||null};f.on(`mousemove`,e=>{let t=_(e.point);h.hidden=!t,f.getCanvas().style.cursor=t?`pointer`:``,t&&(h.textContent=t.properties.name||t.properties.id||``,h.style.left=`${e.point.x+12}px`,h.style.top=`${e.point.y+12}px`)}),f.getCanvas().addEventListener(`mouseleave`,()=>{h.hidden=!0});let v=null,b={network:null,plan:null,answer:null};f.on(`click`,e=>{let t=_(e.point);if(!t)return;let r=t.properties,i=t.layer.id.startsWith(`network`)?b.network?.banner:b.answer?.banner,o=Object.entries(r).filter(([e,t])=>![`name`,`k`,`kind`,`blocks`].includes(e)&&t!==null&&t!==``&&typeof t!=`object`),s=t.layer.id===`obstacles-point`?r.element:r.id;v?.remove(),v=new a({maxWidth:`340px`,focusAfterOpen:!1}).setLngLat(e.lngLat).setHTML(`
      <strong>${j(r.name||r.id||``)}</strong>
      <div class="muted">${o.map(([e,t])=>`${j(e.replace(/_/g,` `))}: ${j(t)}`).join(`<br>`)}</div>
      ${s&&b.answer?`<button type="button" class="linkish map-whatif">What if it is lost?</button>`:``}
      ${i?`<span class="mark">${j(i)}</span>`:``}`).addTo(f),d.__popup=v,v.getElement().querySelector(`button.map-whatif`)?.addEventListener(`click`,()=>{v.remove(),n(s,r.name||s)})});let x=e=>{let n=new Set(e),r=[];for(let e of b.network?.features||[])n.has(e.properties.id)&&e.geometry&&r.push({type:`Feature`,geometry:e.geometry,properties:{id:e.properties.id,name:e.properties.name||e.properties.id}});let i=new Set(r.map(e=>e.properties.id));for(let e of b.plan?.features||[])n.has(e.properties.id)&&!i.has(e.properties.id)&&e.geometry&&(r.push({type:`Feature`,geometry:e.geometry,properties:{id:e.properties.id,name:e.properties.name}}),i.add(e.properties.id));for(let e of b.network?.features||[]){let a=e.properties;if(a.kind===`link`&&e.geometry?.type===`LineString`)for(let[o,s]of[[a.u,0],[a.v,e.geometry.coordinates.length-1]])n.has(o)&&!i.has(o)&&(r.push({type:`Feature`,geometry:{type:`Point`,coordinates:e.geometry.coordinates[s]},properties:{id:o,name:t.names.get(o)||o}}),i.add(o))}return r},S=e=>{let[t,n,r,i]=[1/0,1/0,-1/0,-1/0],a=([e,a])=>{t=Math.min(t,e),n=Math.min(n,a),r=Math.max(r,e),i=Math.max(i,a)};for(let t of e){let e=t.geometry;e&&(e.type===`Point`?a(e.coordinates):e.type===`LineString`&&e.coordinates.forEach(a))}Number.isFinite(t)&&f.fitBounds([[t,n],[r,i]],{padding:50,maxZoom:12,duration:0})},C=(e,t)=>f.getSource(e).setData({type:`FeatureCollection`,features:t});return{map:f,remove:()=>f.remove(),network(e){b={...b,network:e};let t=e.features.filter(e=>e.geometry&&(e.properties.kind===`link`||e.geometry.type===`Point`)),n=[...new Set((e.kompas?.sources||[]).map(e=>e.attribution||e.name))];m({type:`FeatureCollection`,features:t.map(e=>({type:`Feature`,geometry:e.geometry,properties:{id:e.properties.id,name:e.properties.name||``,mode:e.properties.mode||``,kind:e.properties.kind,place_kind:e.properties.place_kind||e.properties.kind,bridge:!!e.properties.bridge,mlc:e.properties.mlc??null,gauge_mm:e.properties.gauge_mm??null,maxweight_t:e.properties.maxweight_t??null,maxspeed_kmh:e.properties.maxspeed_kmh??null,country:e.properties.country||``}}))},n.map(j).join(`; `)),d.__drawn={...d.__drawn||{},network:t.length},b.plan||S(t)},plan(e,t){b={...b,plan:e,answer:t};let n=e.features.filter(e=>!(`obstacle`in e.properties)),r=[];for(let e of n){let t=e.geometry.coordinates,n=e.properties.kind===`wait`||t.every(e=>e[0]===t[0][0]&&e[1]===t[0][1]);r.push(n?{type:`Feature`,geometry:{type:`Point`,coordinates:t[0]},properties:e.properties}:e)}C(`mob-plan`,r);let i=t.plan.obstacles.map((e,t)=>e.lon===null||e.lat===null?null:{type:`Feature`,geometry:{type:`Point`,coordinates:[e.lon,e.lat]},properties:{k:t,name:e.name,element:e.element,obstacle:qu[e.kind]||e.kind,reason:e.reason,blocks:!!e.blocks,cost_hours:e.blocks?`blocks`:e.cost_hours}}).filter(Boolean);C(`mob-obstacles`,i);let a=[[`origin`,t.plan.origin],[`destination`,t.plan.destination]].filter(([,e])=>e.lon!==null&&e.lat!==null).map(([e,t])=>({type:`Feature`,geometry:{type:`Point`,coordinates:[t.lon,t.lat]},properties:{end:e,id:t.id,name:`${e===`origin`?`From`:`To`}: ${t.name}`}}));C(`mob-ends`,a),C(`mob-removed`,[]),C(`mob-detour`,[]),d.__drawn={...d.__drawn||{},legs:n.length,obstacles:i.length,removed:[],detour:0},S([...r,...a,...i])},stressed(e,t){let n=x(e);C(`mob-removed`,n);let r=t?.feasible?x(t.legs.filter(e=>e.kind===`link`).map(e=>e.id)):[];C(`mob-detour`,r),d.__drawn={...d.__drawn||{},removed:n.map(e=>e.properties.id),detour:r.length}},clear(){b={...b,plan:null,answer:null};for(let e of[`mob-plan`,`mob-obstacles`,`mob-ends`,`mob-removed`,`mob-detour`,`mob-focus`])C(e,[]);d.__drawn={network:d.__drawn?.network||0,legs:0,obstacles:0,removed:[],detour:0}},focus(e){let t=x([e]);C(`mob-focus`,t),d.__drawn={...d.__drawn||{},focus:t.map(e=>e.properties.id)},t.length&&S(t)}}}var pd=30,md=`No open data exists on national force offers or personnel, and none is invented as
  if real: every answer here is computed only from the register contributions you may see (each member state's offers
  under its own marking). The example set shipped with Kompas is ILLUSTRATIVE: public facts (published EU Battlegroup
  rosters, MILEX 23, the CSDP Strategic Warehouse, EUMM Georgia 2008) split into invented modules, every value that
  is not public invented or assumed (each row's notes say which), and a synthetic civilian roster; it is not any
  member state's offer.`,hd=`<style>
  .frc-tabs { display: flex; flex-wrap: wrap; gap: .3em; margin: 0 0 .8em; border-bottom: 2px solid var(--accent); }
  .frc-tabs a { padding: .3em .8em; text-decoration: none; color: var(--fg); border: 1px solid var(--line);
    border-bottom: none; border-radius: 4px 4px 0 0; background: #f0f0f0; }
  .frc-tabs a[aria-current="page"] { background: var(--accent); color: white; border-color: var(--accent); }
  .frc-illustrative { border-left: 6px solid #e07000; background: #fff3e0; padding: .5em .9em; font-size: 1.05em; }
  .frc-illustrative strong { color: #b35900; letter-spacing: .04em; }
  .frc-statement { font-size: .9em; }
  .frc-marked { border-left: 4px solid var(--accent); background: white; padding: .3em .7em; margin: .4em 0 .8em; }
  .frc-marked .mark { font-size: 1em; color: var(--fg); font-weight: bold; white-space: normal; }
  .frc-figures { display: flex; flex-wrap: wrap; gap: .4em 1.8em; margin: .3em 0 .8em; }
  .frc-figures div { display: flex; flex-direction: column; }
  .frc-figures strong { font-size: 1.4em; color: var(--accent); font-variant-numeric: tabular-nums; }
  .frc-figures span { color: var(--muted); font-size: .9em; }
  .frc-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(24em, 1fr)); gap: .2em 2em; }
  .frc-chart { margin: .4em 0 1em; max-width: 52em; }
  .frc-chart .row { display: grid; grid-template-columns: 14em 1fr 9em; gap: .6em; align-items: center;
    margin: 2px 0; }
  .frc-chart .label { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; text-align: right; }
  .frc-chart .track { position: relative; background: #eef1f6; height: 1.1em; border-radius: 2px; }
  .frc-chart .fill { position: absolute; left: 0; top: 0; bottom: 0; background: var(--accent); border-radius: 2px; }
  .frc-chart .value { font-variant-numeric: tabular-nums; }
  .frc-chart.grouped .track { height: auto; display: flex; flex-direction: column; gap: 1px; background: none; }
  .frc-chart.grouped .track span.fill { position: relative; display: block; height: .55em; }
  .frc-chart.grouped .track i { position: absolute; top: -2px; bottom: -2px; width: 2px; background: #c8102e; }
  .frc-chart .e0 { background: #9bb0d9; } .frc-chart .e1 { background: #003399; } .frc-chart .e2 { background: #e07000; }
  .frc-chart .e3 { background: #2e7d32; } .frc-chart .e4 { background: #7b2cbf; }
  .frc-legend { display: flex; flex-wrap: wrap; gap: .3em 1.2em; font-size: .9em; margin: .3em 0; }
  .frc-legend i { display: inline-block; width: 1.2em; height: .7em; margin-right: .3em; vertical-align: middle; }
  tr.frc-sev-critical td { background: #fbd5da; } tr.frc-sev-critical td.sev { color: #8b0a1f; font-weight: bold; }
  tr.frc-sev-partial td { background: #fde9cf; } tr.frc-sev-partial td.sev { color: #a34f00; font-weight: bold; }
  tr.frc-sev-readiness td { background: #fff7c2; } tr.frc-sev-readiness td.sev { color: #6d5a00; font-weight: bold; }
  tr.frc-sev-none td.sev { color: #1b7837; }
  .frc-legend .frc-sev-critical { background: #fbd5da; } .frc-legend .frc-sev-partial { background: #fde9cf; }
  .frc-legend .frc-sev-readiness { background: #fff7c2; } .frc-legend .frc-sev-none { background: white;
    border: 1px solid var(--line); }
  tr.short td { background: #fde7ea; }
  .frc-verdict { font-size: 1.1em; } .frc-verdict .ok { color: #007a33; font-weight: 600; }
  .frc-verdict .no { color: #c8102e; font-weight: 600; } .frc-verdict .so { color: #9a6a00; font-weight: 600; }
  #frc-body p.no, #frc-body strong.no { color: #c8102e; font-weight: 600; } #frc-body p.ok { color: #007a33; }
  .frc-scroll { max-height: 30em; overflow: auto; }
  .frc-scenario dl { display: grid; grid-template-columns: max-content 1fr; gap: .1em 1em; margin: .3em 0; }
  .frc-scenario dt { color: var(--muted); } .frc-scenario dd { margin: 0; }
  .frc-plot { background: white; border: 1px solid var(--line); padding: .3em; max-width: 60em; }
  .frc-prob { font-size: 1.6em; font-weight: bold; color: var(--accent); }
  td.caps, td.notes { font-size: .9em; }
</style>`,gd=e=>new Promise(t=>setTimeout(t,e*1e3)),Q=e=>e==null?`-`:N(Math.round(Number(e))),_d=(e,t=1)=>e==null||Number.isNaN(Number(e))?`-`:N(Number(e).toFixed(t)),vd=(e,t=0)=>e==null?`-`:`${(Number(e)*100).toFixed(t)}\u202f%`,yd=e=>`<span class="mark">${j(e)}</span>`;function bd(e){return typeof e==`string`?e:Array.isArray(e)?e.map(e=>e&&typeof e==`object`?`${(e.loc||[]).filter(e=>![`body`,`query`].includes(e)).join(`.`)}: ${e.msg??``}`:String(e)).join(`; `):JSON.stringify(e)}async function xd(e,{method:t=`GET`,body:i}={}){let a={Authorization:`Bearer ${r()??``}`};i!==void 0&&(a[`Content-Type`]=`application/json`);let o;for(let n=0;o=await fetch(e,{method:t,headers:a,body:i===void 0?void 0:JSON.stringify(i)}),!(o.status!==429&&o.status!==503||n===3);n+=1)await gd(Math.min(Math.max(Number(o.headers.get(`Retry-After`))||1,1),pd));if(o.status===401)throw new n(`sign in again`);if(!o.ok){let e=o.statusText;try{e=bd((await o.json()).detail)}catch{}o.status===503&&(e=`the server is computing as many force plans as it allows at once (${e}); try again`);let t=Error(`${e} (HTTP ${o.status})`);throw t.status=o.status,t}return o.json()}async function Sd(e,t,r,i){if(r instanceof n)throw r;if(await D(e,[]).catch(()=>{}),!e.isConnected)return;let a=t.tagName===`SPAN`?`span`:`p`;t.innerHTML=`<${a} class="error" role="alert">${j(i)}: ${j(r.message)}</${a}>`}function Cd(e,t=!0){return e?.example?!0:typeof e?.illustrative_data==`boolean`?e.illustrative_data:!!t}var wd=`The scenarios' figures are illustrative (assumed where not published)`;function Td(e,t,n=`this answer`,r=Cd(e)){return e?.illustrative?r?`<p class="frc-illustrative" id="${j(t)}" role="note" data-kind="data"><strong>ILLUSTRATIVE</strong> —
    ${j(n)} is built from ILLUSTRATIVE data${e.example?` (the example set shipped with Kompas): public facts split into invented modules and assumed figures`:` (register rows their contributors labelled illustrative)`}, not any member state's offer. Not real data.</p>`:`<p class="frc-illustrative" id="${j(t)}" role="note" data-kind="scenarios"><strong>ILLUSTRATIVE
      SCENARIOS</strong> — ${j(wd)}; otherwise ${j(n)} is computed from the register
      contributions you may see, under their markings.</p>`:``}function Ed(e){let t=String(e??``).trim().toLowerCase();return[`1`,`true`,`yes`,`on`].includes(t)?!0:![`0`,`false`,`no`,`off`].includes(t)&&null}function Dd(e,t,{caption:n,max:r=null,unit:i=``}={}){let a=r??Math.max(0,...t.map(e=>Number(e.value)||0));return`<div class="frc-chart" id="${j(e)}" role="img" aria-label="${j(n)}">${t.map(e=>{let t=a>0?Math.max(0,Math.min(100,(Number(e.value)||0)/a*100)):0;return`<div class="row" data-key="${j(e.key)}" data-value="${j(e.value)}"><span class="label"
      title="${j(e.label)}">${j(e.label)}</span><span class="track"><span class="fill"
      style="width:${t.toFixed(2)}%"></span></span><span class="value">${j(e.text??`${Q(e.value)}${i}`)}
      </span></div>`}).join(``)||`<p class="muted">Nothing to draw.</p>`}</div>`}function Od(e,t=!1){let n=String(e??``);if(!/^https?:\/\//i.test(n))return j(n);let r=n;if(t)try{r=new URL(n).host}catch{}return`<a href="${j(n)}" title="${j(n)}" rel="noopener noreferrer" target="_blank">${j(r)}</a>`}async function kd(e,t,n,r=`No answer`){await Sd(e.view,t,n,r),n.status===404&&!e.example&&t.insertAdjacentHTML(`beforeend`,`<p><a href="${j(e.href(e.tab,{example:`1`,edition:null}))}"
      id="frc-use-example">Use the ILLUSTRATIVE example set</a> instead.</p>`)}var Ad={critical:`critical (less than half covered)`,partial:`partial (short in quantity)`,readiness:`readiness (enough, not ready in time)`,none:`none (covered and ready)`};async function jd(e,t){let{view:n,own:r}=e,[i,a]=await Promise.all([xd(`/api/v1/forces/planning/cases`),xd(`/api/v1/forces/scenarios`)]),o=new Set([...i.map(e=>e.name),...a.map(e=>e.name)]),s=i.find(e=>e.default)?.name||(o.has(`rdc-stabilisation-and-civilian-mission`)?`rdc-stabilisation-and-civilian-mission`:``),c=o.has(r.get(`case`))?r.get(`case`):s||i[0]?.name||a[0]?.name,l=e.editions.map(e=>e.edition),u=e.edition||l[l.length-1]||``,d=l.filter(e=>e<=u),f=e=>e.map(e=>`&edition=${encodeURIComponent(e)}`).join(``),p=`case=${encodeURIComponent(c)}&example=${e.example}`,m,h,g;try{[m,h,g]=await Promise.all([xd(`/api/v1/forces/planning/gaps?${p}${u?`&edition=${encodeURIComponent(u)}`:``}`),xd(`/api/v1/forces/planning/review?${p}${f(d)}`),l.length>=2?xd(`/api/v1/forces/planning/trends?${p}${f(l)}`).catch(e=>({error:e})):Promise.resolve({error:Error(`trends need at least two editions; ${l.length?`only ${l[0]} is`:`none is`} ${e.example?`in the example set`:`visible to you`}`)})])}catch(n){await kd(e,t,n);return}let _=m.case,v=m.illustrative||h.illustrative||g.illustrative,y=[m,h,g].filter(e=>typeof e.illustrative_data==`boolean`),b=e.example||y.some(e=>e.illustrative_data),x=[];if(!b&&!y.length&&v){if(!_.illustrative)b=!0;else if(!g.error&&d.every(e=>(g.editions||[]).includes(e)))b=!!g.illustrative;else{try{x=await Promise.all((d.length?d:[u]).map(e=>xd(`/api/v1/forces/overview?example=false${e?`&edition=${encodeURIComponent(e)}`:``}`)))}catch(n){await kd(e,t,n);return}b=x.some(e=>e.illustrative)}}await D(n,[m.marking,h.marking,g.marking,...x.map(e=>e.marking)].filter(Boolean));let S=h.headline||{},C=S.gaps_by_severity||{},w=(m.gaps||[]).some(e=>e.civilian);t.innerHTML=`
    ${Td({illustrative:v,example:e.example},`frc-illustrative`,`this capability review`,b)}
    <form class="filters" id="frc-case-form" aria-label="Planning case">
      <label>Planning case<select name="case"><optgroup label="Cases (scenarios at the same time)">${i.map(e=>`<option value="${j(e.name)}"${e.name===c?` selected`:``}>${j(e.title||e.name)}${e.illustrative?` (ILLUSTRATIVE)`:``}</option>`).join(``)}</optgroup><optgroup label="One scenario">${a.map(e=>`<option value="${j(e.name)}"${e.name===c?` selected`:``}>${j(e.title||e.name)}</option>`).join(``)}</optgroup></select></label>
    </form>
    <section aria-labelledby="frc-review-title">
      <h2 id="frc-review-title">${j(h.title||`Capability review: ${_.title||_.name}`)}</h2>
      <p class="frc-marked" id="frc-planning-marking">This review is marked ${yd(h.banner||h.marking.banner)}${m.banner&&m.banner!==h.banner?`; the gaps ${yd(m.banner)}`:``}${g.banner?`; the trends ${yd(g.banner)}`:``}: computed from the register documents
        you may see.</p>
      ${h.scope?`<p class="muted" id="frc-scope">${j(h.scope)}</p>`:``}
      <p class="muted">${j(h.meeting||``)}</p>
      <div class="frc-figures" id="frc-headline">
        <div><strong>${Q(S.capabilities_met)} / ${Q(S.capabilities_required)}</strong><span>capabilities
          met</span></div>
        <div data-severity="critical"><strong>${Q(C.critical)}</strong><span>critical gaps</span></div>
        <div data-severity="partial"><strong>${Q(C.partial)}</strong><span>partial gaps</span></div>
        <div data-severity="readiness"><strong>${Q(C.readiness)}</strong><span>readiness gaps</span></div>
        <div><strong>${vd(S.quantity_coverage)}</strong><span>of the units covered (${Q(S.units_covered)} of
          ${Q(S.units_required_total)})</span></div>
        <div><strong>${vd(S.readiness_coverage)}</strong><span>covered and ready in time (${Q(S.units_covered_ready)} of ${Q(S.units_required)})</span></div>
        <div><strong>${Q(S.nations)}</strong><span>nations offering</span></div>
        <div><strong>${Q(S.operations)}</strong><span>operations at once (${Q(S.scenarios)} scenario(s))</span>
          </div>
        <div><strong>${Q(S.personnel_ceiling)}</strong><span>personnel ceiling</span></div>
      </div>
      ${w?`<p class="muted" id="frc-civilian-note">Civilian profiles count as met here when enough experts
        are offered and ready by their notice days. Whether the mission has them in theatre by its deadline (selection,
        clearances, training, kit, transport) is the <a href="${j(e.href(`civilian`))}">civilian deployment</a>'s
        answer; the forces report puts its verdict beside these rows.</p>`:``}
      ${S.previous_edition?`<p id="frc-since">Since ${j(S.previous_edition)}: gaps closed ${j((S.closed_since||[]).join(`, `)||`none`)}; gaps opened ${j((S.opened_since||[]).join(`, `)||`none`)}.</p>`:``}
      <p class="muted">Case: ${j(_.title||_.name)}${_.notes?`. ${j(_.notes)}`:``} Tours of
        ${Q(_.tour_months)} months, dwell ${Q(_.dwell_months)} months; scenarios: ${j((_.scenarios||[]).map(e=>`${e.title||e.name} ×${e.count??e.concurrency??1}`).join(`; `))}.</p>
    </section>
    <section aria-labelledby="frc-gaps-title">
      <h2 id="frc-gaps-title">Gaps against edition ${j(m.edition)}</h2>
      <div class="frc-legend" aria-label="Severity colours">${Object.entries(Ad).map(([e,t])=>`<span><i class="frc-sev-${e}"></i>${j(t)}</span>`).join(``)}</div>
      <div class="frc-scroll"><table id="frc-gaps" aria-labelledby="frc-gaps-title"><thead><tr>
        <th scope="col">Capability</th><th scope="col">Severity</th><th scope="col" class="n">Required at once</th>
        <th scope="col" class="n">Required with rotation</th><th scope="col" class="n">Ready within (days)</th>
        <th scope="col" class="n">Offered</th><th scope="col" class="n">Offered ready</th>
        <th scope="col" class="n">Covered</th><th scope="col" class="n">Covered ready</th>
        <th scope="col" class="n">Short</th><th scope="col" class="n">Short in time</th>
        <th scope="col" class="n">Excluded by caveats</th><th scope="col" class="n">Coverage</th>
        <th scope="col" class="n">Nations</th></tr></thead>
        <tbody>${m.gaps.map(e=>`<tr class="frc-sev-${j(e.severity)}" data-capability="${j(e.capability)}"
          data-severity="${j(e.severity)}"><td>${j(e.capability)}${e.civilian?` <span class="muted">(civilian)</span>`:``}${e.rotating?` <span class="muted">(rotating)</span>`:``}</td>
          <td class="sev">${j(e.severity)}</td><td class="n">${Q(e.required)}</td>
          <td class="n">${Q(e.required_total)}</td><td class="n">${Q(e.readiness_days)}</td>
          <td class="n">${Q(e.offered)}</td><td class="n">${Q(e.offered_ready)}</td><td class="n">${Q(e.covered)}</td>
          <td class="n">${Q(e.covered_ready)}</td><td class="n">${Q(e.quantity_shortfall)}</td>
          <td class="n">${Q(e.readiness_shortfall)}</td><td class="n">${Q(e.caveat_excluded)}</td>
          <td class="n">${vd(e.coverage)}</td><td class="n" title="${j(Object.entries(e.by_nation||{}).map(([e,t])=>`${e} ${t}`).join(`, `))}">${Q(e.nations)}</td></tr>`).join(``)||`<tr><td colspan="14" class="muted">The case requires nothing.</td></tr>`}</tbody></table></div>
    </section>
    <section aria-labelledby="frc-trends-title">
      <h2 id="frc-trends-title">Trends between editions</h2>
      <div id="frc-trends">${g.error?`<p class="muted" id="frc-trends-none">No trends: ${j(g.error.message)}.</p>`:Md(g)}</div>
    </section>
    <section aria-labelledby="frc-assumptions-title">
      <h2 id="frc-assumptions-title">Assumptions and sources</h2>
      ${(h.assumptions||m.assumptions||[]).length?`<ul id="frc-assumptions">${(h.assumptions||m.assumptions).map(e=>`<li>${j(e)}</li>`).join(``)}</ul>`:`<p class="muted">No assumed figure.</p>`}
      ${(h.sources||[]).length?`<ul id="frc-sources">${h.sources.map(e=>`<li>${Od(e)}</li>`).join(``)}</ul>`:``}
    </section>`,t.querySelector(`#frc-case-form select`).addEventListener(`change`,t=>{location.hash=e.href(`planning`,{case:t.target.value})})}function Md(e){let t=e.editions||[],n=e.changes||[],r=(e.nations||[]).filter(e=>e.change),i=e.rows.filter(e=>e.required!==null&&e.required!==void 0),a=e.rows.filter(e=>e.required===null||e.required===void 0),o=[`#9bb0d9`,`#003399`,`#e07000`,`#2e7d32`,`#7b2cbf`],s=(e,t,n)=>{let r=Math.max(1,...t.flatMap(e=>[...e.offered,e.required??0]));return`<div class="frc-chart grouped" id="${e}" role="img" aria-label="${j(n)}">${t.map(e=>`<div
      class="row" data-key="${j(e.capability)}" data-offered="${j(e.offered.join(`,`))}"><span class="label"
      title="${j(e.capability)}">${j(e.capability)}</span><span class="track">${e.offered.map((e,t)=>`<span
      class="fill e${t%5}" style="width:${(e/r*100).toFixed(2)}%"></span>`).join(``)}${e.required!==null&&e.required!==void 0?`<i style="left:${(e.required/r*100).toFixed(2)}%"
      title="required ${j(e.required)}"></i>`:``}</span><span class="value">${j(e.offered.join(` → `))}${e.change?` (${e.change>0?`+`:``}${j(e.change)})`:``}${e.required!==null&&e.required!==void 0?` of ${j(e.required)}`:``}</span></div>`).join(``)}</div>`};return`
    <div class="frc-legend">${t.map((e,t)=>`<span><i style="background:${o[t%5]}"></i>offered,
      ${j(e)}</span>`).join(``)}${e.case?`<span><i style="background:#c8102e;width:3px"></i>required by the
      case</span>`:``}</div>
    ${i.length?`<h3>The case's capabilities</h3>${s(`frc-trends-chart`,i,`Offered quantity per capability the case requires, in each edition`)}`:``}
    ${a.length?`<details id="frc-trends-others"${i.length?``:` open`}><summary>Other capabilities and
      civilian profiles offered (${Q(a.length)})</summary>${s(i.length?`frc-trends-other-chart`:`frc-trends-chart`,a,`Offered quantity per capability or profile in each edition`)}</details>`:``}
    <table id="frc-changes"><thead><tr><th scope="col">From</th><th scope="col">To</th><th scope="col">Gaps closed</th>
      <th scope="col">Gaps opened</th><th scope="col">Improved</th><th scope="col">Worsened</th></tr></thead>
      <tbody>${n.map(e=>`<tr><td>${j(e.before)}</td><td>${j(e.after)}</td>
        <td>${j(e.closed.join(`, `)||`-`)}</td><td>${j(e.opened.join(`, `)||`-`)}</td>
        <td>${j((e.improved||[]).join(`, `)||`-`)}</td><td>${j((e.worsened||[]).join(`, `)||`-`)}</td></tr>`).join(``)||`<tr><td colspan="6" class="muted">No change.</td></tr>`}</tbody></table>
    <details id="frc-nation-changes"><summary>Each nation's change (${Q(r.length)})</summary>
      <table><thead><tr><th scope="col">Nation</th><th scope="col">Capability or profile</th>
        <th scope="col" class="n">${j(t.join(` → `))}</th><th scope="col" class="n">Change</th></tr></thead>
        <tbody>${r.map(e=>`<tr><td>${j(e.nation)}</td><td>${j(e.capability)}</td>
          <td class="n">${j(e.quantities.join(` → `))}</td><td class="n">${e.change>0?`+`:``}${j(e.change)}</td>
          </tr>`).join(``)}</tbody></table></details>`}var Nd=`force-hq.infantry-company.mechanised-infantry-company.reconnaissance-company.engineer-company.cbrn-company.military-police-platoon.cimic-team.eod-team.logistics-company.fire-support-battery.force-protection-company.medical-role1.medical-role2.strategic-airlift.tactical-airlift.sealift-ship.utility-helicopter.medevac-helicopter.air-to-air-refuelling.isr-uav.isr-aircraft.frigate.amphibious-ship.mine-countermeasures-vessel.maritime-patrol-aircraft.cyber-defence-team.satcom-terminal.ew-team.sof-task-group`.split(`.`),Pd=[`monitor`,`police-adviser`,`rule-of-law-adviser`,`border-management`,`human-rights-adviser`,`civil-administration`,`security-sector-reform`,`mission-security-officer`,`logistics-officer`,`medical-officer`,`cis-officer`,`finance-procurement`,`head-of-office`],Fd={call:`call for contributions`,selection:`selection`,clearance:`security clearance`,medical:`medical clearance`,notice:`notice period`,availability:`availability`,pdt:`pre-deployment training`,heat:`hostile environment awareness training`,decision:`Council decision`,unit:`formed unit`,transport:`transport`,equipment:`equipment`},Id=[[`selected`,`selected`,`#9bb0d9`],[`cleared`,`security-cleared`,`#7b2cbf`],[`medical`,`medically cleared`,`#2e7d32`],[`trained`,`trained`,`#e07000`],[`equipped`,`equipped`,`#8a6d3b`],[`in_theatre`,`in theatre`,`#c8102e`]];function Ld(e,t){return e.example?`<p class="frc-illustrative" id="frc-illustrative" role="note"><strong>ILLUSTRATIVE</strong> —
    ${j(t)} are ILLUSTRATIVE: public facts split into invented figures, not any member state's offer.</p>`:``}async function Rd(e,t,n,r,i,a,o){let{view:s}=e;n.textContent=`Computing…`;let c;try{c=await xd(r,{method:`POST`,body:i})}catch(r){return n.textContent=``,await kd(e,t,r,`No ${a.toLowerCase()}`),null}return!s.isConnected||(await D(s,[c.marking].filter(Boolean)),!s.isConnected)?null:(n.textContent=``,t.innerHTML=o(c),c)}async function zd(e,t){let{view:n}=e;await D(n,[]);let r=`${new Date().getUTCFullYear()+1}-01-01`;t.innerHTML=`${Ld(e,`The example set's rotation pools`)}
    <section class="card" aria-labelledby="frc-rot-title">
      <h2 id="frc-rot-title">Rotations for a standing mission</h2>
      <p class="muted">Who serves which months of a mission from the rotation pools offered (tour lengths, dwell
        between tours, availability, readiness), exactly (OR-Tools CP-SAT): the gaps forecast month by month, what
        each contributor is asked for and by when, and the sustainment ratio the schedule needs beside the published
        rules of thumb (a force of D sustained with tours of t months and dwell of w needs D·(t + w)/t).</p>
      <form class="filters" id="frc-rot-form" aria-label="The mission">
        <label>Mission<input name="name" value="standing mission" maxlength="120" size="18"></label>
        <label>Start<input name="start" type="date" value="${j(r)}" required></label>
        <label>Months<input name="months" type="number" min="1" max="120" value="24" style="width:5em"></label>
        <label>Decision day<input name="decision" type="date" value="${j(new Date().toISOString().slice(0,10))}"
          title="Units are asked from then on (empty: the start)"></label>
        ${[[`mechanised-infantry-company`,2],[`engineer-company`,1],[`medical-role2`,1]].map(([e,t],n)=>`
          <label>Position ${n+1}<input name="capability" list="frc-capabilities-list" value="${j(e)}" size="24"
            aria-label="Position ${n+1}: capability"></label>
          <label>Units<input name="units" type="number" min="0" max="1000" value="${t}" style="width:4em"
            aria-label="Position ${n+1}: units at once"></label>`).join(``)}
        <datalist id="frc-capabilities-list">${Nd.map(e=>`<option value="${j(e)}">`).join(``)}</datalist>
        <button type="submit">Plan the rotations</button>
        <span class="muted" id="frc-rot-status" role="status" aria-live="polite"></span>
      </form>
      <div id="frc-rot-result" aria-live="polite"><p class="muted">State the mission and plan the rotations.</p></div>
    </section>`;let i=t.querySelector(`#frc-rot-form`);i.addEventListener(`submit`,async n=>{n.preventDefault();let r=i.elements,a=[...i.querySelectorAll(`input[name=capability]`)].map(e=>e.value.trim()),o=[...i.querySelectorAll(`input[name=units]`)].map(e=>Number(e.value||0)),s=a.map((e,t)=>({id:`p${t+1}-${e}`,capability:e,units:o[t]})).filter(e=>e.capability&&e.units>0),c={name:r.name.value.trim()||`mission`,start:r.start.value,months:Number(r.months.value),positions:s};r.decision.value&&(c.decision=r.decision.value);let l={mission:c,example:e.example};e.edition&&(l.edition=e.edition),await Rd(e,t.querySelector(`#frc-rot-result`),t.querySelector(`#frc-rot-status`),`/api/v1/forces/rotations`,l,`Rotations`,Bd)})}function Bd(e){let t=e.plan&&e.plan.cover?e.plan:e,n=t.mission||{},r=t.first_gap,i=n.months||Math.max(0,...t.cover.map(e=>e.month+1)),a=[...new Set(t.cover.map(e=>e.position))],o=new Map(t.cover.map(e=>[`${e.position}|${e.month}`,e]));return`
    <p class="frc-verdict" id="frc-rot-verdict" data-status="${j(t.status)}"><span class="${t.shortfall_unit_months?`no`:`ok`}">${t.shortfall_unit_months?`${Q(t.shortfall_unit_months)} unit-month(s) short`:`Every position filled`}</span>: ${Q(t.filled_unit_months)} of ${Q(t.needed_unit_months)} unit-months
      filled over ${Q(i)} months from ${j(n.start||`-`)} (${j(t.status)}${t.optimal?`, proved`:``}).
      ${yd(e.marking?.banner||e.banner||``)}</p>
    ${Td(e.illustrative===void 0?t:e,`frc-rot-illustrative`,`this schedule`)}
    ${r?`<p id="frc-first-gap" class="no">First gap: mission month ${Q(r.month+1)} (from
      ${j(r.start)}), ${Q(r.months_ahead)} month(s) after the decision: ${j(Object.entries(r.shortfall).map(([e,t])=>`${e} short by ${t}`).join(`, `))}.</p>`:`<p id="frc-first-gap" class="ok">No gap forecast.</p>`}
    <h3 id="frc-cover-title">Gaps forecast (units filled / needed, month by month)</h3>
    <div class="frc-scroll"><table id="frc-cover" aria-labelledby="frc-cover-title"><thead><tr>
      <th scope="col">Position</th>${Array.from({length:i},(e,t)=>`<th scope="col" class="n">${t+1}</th>`).join(``)}</tr></thead><tbody>${a.map(e=>`<tr data-position="${j(e)}"><th scope="row">${j(e)}
      </th>${Array.from({length:i},(t,n)=>{let r=o.get(`${e}|${n}`);return r?`<td class="n${r.shortfall>0?` short`:``}" title="${j(`${r.start}: ${r.filled} of ${r.needed}`)}"
          ${r.shortfall>0?`style="background:#fbd5da"`:``}>${Q(r.filled)}/${Q(r.needed)}</td>`:`<td></td>`}).join(``)}</tr>`).join(``)}</tbody></table></div>
    <h3 id="frc-asks-title">What each contributor is asked for</h3>
    <table id="frc-asks" aria-labelledby="frc-asks-title"><thead><tr><th scope="col">Nation</th>
      <th scope="col">First ask by</th><th scope="col" class="n">Units</th><th scope="col" class="n">Unit-months</th>
      <th scope="col" class="n">Troop-months</th><th scope="col">Tours (unit: position, months, ask by)</th></tr></thead>
      <tbody>${(t.asks||[]).map(e=>`<tr data-nation="${j(e.nation)}"><td>${j(e.nation)}</td>
        <td class="time">${j(e.first_ask)}</td><td class="n">${Q(e.units)}</td><td class="n">${Q(e.unit_months)}</td>
        <td class="n">${Q(e.troop_months)}</td><td class="notes">${j(e.asks.map(e=>`${e.unit}: ${e.position},
        ${e.start} – ${e.end}${e.cut?` (cut)`:``}, ask by ${e.ask_by}`).join(`; `))}</td></tr>`).join(``)||`<tr><td colspan="6" class="muted">Nobody asked: no pool serves these positions.</td></tr>`}</tbody></table>
    <h3 id="frc-sustain-title">Sustainment ratio</h3>
    <table id="frc-sustainment" aria-labelledby="frc-sustain-title"><thead><tr><th scope="col">Capability</th>
      <th scope="col" class="n">Deployed at once</th><th scope="col" class="n">Distinct units</th>
      <th scope="col" class="n">Ratio</th><th scope="col">Rules of thumb (tour/dwell: units per deployed, pool)</th>
      </tr></thead><tbody>${(t.sustainment||[]).map(e=>`<tr data-capability="${j(e.capability||`all`)}">
        <td>${j(e.capability||`all`)}</td><td class="n">${Q(e.deployed_at_once)}</td>
        <td class="n">${Q(e.distinct_units)}</td><td class="n">${_d(e.ratio,2)}</td><td class="notes">${j((e.rules||[]).map(e=>`${e.tour_months}/${e.dwell_months} months: steady state ${_d(e.units_per_deployed_steady_state,2)} (pool ${e.steady_state_pool}), this mission ${e.units_per_deployed_finite} (pool ${e.finite_pool})`).join(`; `))}</td></tr>`).join(``)}</tbody></table>
    ${t.rules?`<details><summary>The rules</summary><ul>${Object.entries(t.rules).map(([e,t])=>`<li><strong>${j(e.replace(/_/g,` `))}</strong>: ${j(t)}</li>`).join(``)}</ul></details>`:``}
    ${t.notes?.length?`<ul class="muted">${t.notes.map(e=>`<li>${j(e)}</li>`).join(``)}</ul>`:``}
    ${t.sources?`<details><summary>Sources</summary><ul>${Object.entries(t.sources).map(([e,t])=>`<li>${j(e)}:
      ${Od(t)}</li>`).join(``)}</ul></details>`:``}`}async function Vd(e,t){let{view:n}=e;await D(n,[]),t.innerHTML=`${Ld(e,`The example set's civilian roster (synthetic) and warehouse stocks`)}
    <section class="card" aria-labelledby="frc-civ-title">
      <h2 id="frc-civ-title">A civilian mission: 200 experts in 30 days</h2>
      <p class="muted">From the civilian roster and the Strategic Warehouse: who is selected, the day-by-day count of
        experts selected, cleared, trained, equipped and in theatre, the critical path, the probability of meeting the
        deadline given the roster's availability (simulated), and what would shorten it. Days count from the Council
        decision (day 0).</p>
      <form class="filters" id="frc-civ-form" aria-label="The civilian mission">
        <label>Council decision<input name="decision" type="date" title="Empty: today (the example set: 1 March of
          its edition's year, the year its synthetic roster's availability is stated for)"></label>
        <label>Profile<select name="profile"><option value="">the shipped civilian-200-in-30 mix</option>${Pd.map(e=>`<option value="${j(e)}">only ${j(e)}</option>`).join(``)}</select></label>
        <label>Experts<input name="count" type="number" min="1" max="20000" value="200" style="width:6em"
          title="With one profile: how many"></label>
        <label>Deadline (days)<input name="deadline_days" type="number" min="0" max="3650" value="30"
          style="width:5em"></label>
        <label>Environment<select name="environment"><option value="uncertain">uncertain</option>
          <option value="permissive">permissive</option><option value="non-permissive">non-permissive</option>
          </select></label>
        <label>Call sent (days before the decision)<input name="call_lead_days" type="number" min="0" max="365"
          value="0" style="width:5em"></label>
        <label>Simulation runs<input name="runs" type="number" min="100" max="20000" value="2000"
          style="width:7em"></label>
        <button type="submit">Plan the deployment</button>
        <span class="muted" id="frc-civ-status" role="status" aria-live="polite"></span>
      </form>
      <div id="frc-civ-result" aria-live="polite"><p class="muted">State the mission and plan the deployment.</p></div>
    </section>`;let r=t.querySelector(`#frc-civ-form`);r.addEventListener(`submit`,async n=>{n.preventDefault();let i=r.elements,a={deadline_days:Number(i.deadline_days.value||30),environment:i.environment.value,call_lead_days:Number(i.call_lead_days.value||0),runs:Number(i.runs.value||2e3),example:e.example};i.decision.value&&(a.decision=i.decision.value),i.profile.value&&(a.needs={[i.profile.value]:{count:Number(i.count.value||1)}}),e.edition&&(a.edition=e.edition);let o=await Rd(e,t.querySelector(`#frc-civ-result`),t.querySelector(`#frc-civ-status`),`/api/v1/forces/deploy`,a,`Civilian deployment`,Ud);o&&Wd(t.querySelector(`#frc-civ-chart`),o)})}var Hd=e=>{let t=e.assessment||e;return{plan:t.plan||{},simulation:t.simulation||{},levers:t.levers||[],assumed:t.assumed||[],sourced:t.sourced||{}}};function Ud(e){let{plan:t,simulation:n,levers:r,assumed:i,sourced:a}=Hd(e),o=t.mission||{},s=t.completion_day!==null&&t.completion_day!==void 0,c=s&&t.completion_day<=o.deadline_days,l=e=>e==null?`never (in some runs the mission is not complete)`:`day ${_d(e,1)}`;return`
    <p class="frc-verdict" id="frc-civ-verdict" data-feasible="${t.feasible?`true`:`false`}"
      data-met="${c?`true`:`false`}"><span class="${c?`ok`:`no`}">${s?`The ${Q(o.size)}th expert
      is in theatre on day ${_d(t.completion_day,1)} (${j(t.completion_date||`-`)})${c?``:`, after the deadline`}`:`${Q(o.size)} experts cannot be deployed from this roster and stock`}</span>; the
      deadline is day ${Q(o.deadline_days)} (${j(o.deadline||`-`)}), decided ${j(o.decision||`-`)}.
      ${yd(e.marking?.banner||e.banner||``)}</p>
    ${Td(e.illustrative===void 0?t:e,`frc-civ-illustrative`,`this deployment plan`)}
    <p id="frc-civ-probability">Probability of meeting day ${Q(n.deadline_days??o.deadline_days)}:
      <span class="frc-prob">${vd(n.probability,1)}</span> (${j(`${Math.round((n.confidence??.95)*100)}`)}
      % interval ${vd(n.ci_low,1)} – ${vd(n.ci_high,1)}; ${Q(n.runs)} simulated runs, seed ${j(n.seed)};
      median ${j(l(n.percentiles?.[`50`]))}, 95th percentile ${j(l(n.percentiles?.[`95`]))}${n.unfilled_runs?`; ${Q(n.unfilled_runs)} run(s) unfilled`:``}${n.blocked_runs?`; ${Q(n.blocked_runs)} run(s) without kit`:``}).</p>
    <h3 id="frc-civ-chart-title">Day by day (the plan, every stage at its median)</h3>
    <div id="frc-civ-chart" class="frc-plot" role="img" aria-label="Experts selected, cleared, trained, equipped and
      in theatre by day from the decision"></div>
    <h3 id="frc-critical-title">Critical path${t.bottleneck?` (bottleneck: ${j(Fd[t.bottleneck]||t.bottleneck)})`:``}</h3>
    <table id="frc-critical" aria-labelledby="frc-critical-title"><thead><tr><th scope="col">Stage</th>
      <th scope="col">Who</th><th scope="col" class="n">From day</th><th scope="col" class="n">To day</th>
      <th scope="col" class="n">Days</th><th scope="col">Note</th></tr></thead>
      <tbody>${(t.critical_path||[]).map(e=>`<tr data-stage="${j(e.stage)}"><td>${j(Fd[e.stage]||e.stage)}</td><td>${j(e.who)}</td><td class="n">${_d(e.start_day,1)}</td><td class="n">${_d(e.end_day,1)}</td><td class="n">${_d(e.days,1)}</td><td class="notes">${j(e.note||``)}</td></tr>`).join(``)||`<tr><td colspan="6" class="muted">No path: nobody deployed.</td></tr>`}</tbody></table>
    <h3 id="frc-levers-title">What would shorten it</h3>
    <table id="frc-levers" aria-labelledby="frc-levers-title"><thead><tr><th scope="col">Lever</th>
      <th scope="col" class="n">Plan day</th><th scope="col" class="n">Median day</th>
      <th scope="col" class="n">Probability</th><th scope="col" class="n">Days saved (plan)</th>
      <th scope="col" class="n">Points added</th></tr></thead>
      <tbody>${r.map(e=>`<tr data-lever="${j(e.lever)}"${e.applies?``:` class="muted"`}><td>${j(e.description||e.lever)}${e.applies?``:` (nothing to change)`}</td><td class="n">${_d(e.plan_day,1)}</td>
        <td class="n">${_d(e.median_day,1)}</td><td class="n">${vd(e.probability,1)}</td>
        <td class="n">${_d(e.gain_plan_days,1)}</td><td class="n">${_d((e.gain_probability??0)*100,1)}</td>
        </tr>`).join(``)||`<tr><td colspan="6" class="muted">No lever computed.</td></tr>`}</tbody></table>
    ${(t.bottlenecks||[]).length?`<details><summary>Stages by weight</summary><table id="frc-bottlenecks">
      <thead><tr><th scope="col">Stage</th><th scope="col" class="n">Days on the critical path</th>
      <th scope="col" class="n">Experts whose day it set</th><th scope="col" class="n">Days waiting in its queue</th>
      </tr></thead><tbody>${t.bottlenecks.map(e=>`<tr><td>${j(Fd[e.stage]||e.stage)}</td>
      <td class="n">${_d(e.critical_days,1)}</td><td class="n">${Q(e.experts_bound)}</td>
      <td class="n">${_d(e.waiting_days,1)}</td></tr>`).join(``)}</tbody></table></details>`:``}
    ${e.stocks_from?`<p class="muted" id="frc-stocks-from">Equipment from ${j(e.stocks_from)}.</p>`:``}
    ${Object.keys(t.shortfall||{}).length?`<p class="no">Short: ${j(Object.entries(t.shortfall).map(([e,t])=>`${e} ${t}`).join(`, `))}.</p>`:``}
    ${i.length?`<details><summary>${Q(i.length)} figure(s) assumed, unsourced</summary><ul>${i.map(e=>`<li>${j(e)}</li>`).join(``)}</ul></details>`:``}
    ${Object.keys(a).length?`<details><summary>Sourced figures</summary><ul>${Object.entries(a).map(([e,t])=>`<li>${j(e)}: ${(Array.isArray(t)?t:[t]).map(Od).join(`, `)}</li>`).join(``)}</ul></details>`:``}
    ${(t.notes||[]).length?`<ul class="muted">${t.notes.map(e=>`<li>${j(e)}</li>`).join(``)}</ul>`:``}`}function Wd(e,t){let{plan:n}=Hd(t),r=n.timeline||[];if(!e||!r.length){e&&(e.innerHTML=`<p class="muted">No day to draw.</p>`);return}let i=n.mission||{},a=r.map(e=>e.day);new Z({width:Math.max(320,Math.min(900,e.clientWidth-10)),height:280,scales:{x:{time:!1}},series:[{label:`day`,value:(e,t)=>t==null?`-`:`day ${t}`},...Id.map(([,e,t])=>({label:e,stroke:t,width:e===`in theatre`?2.5:1.2}))],axes:[{label:`days from the Council decision`,values:P},{label:`experts`,size:60,values:P}],hooks:{draw:[e=>{let{ctx:t}=e;if(t.save(),t.strokeStyle=`#111`,t.setLineDash([6,4]),i.deadline_days!==void 0){let n=e.valToPos(i.deadline_days,`x`,!0);t.beginPath(),t.moveTo(n,e.bbox.top),t.lineTo(n,e.bbox.top+e.bbox.height),t.stroke()}if(i.size){let n=e.valToPos(i.size,`y`,!0);t.beginPath(),t.moveTo(e.bbox.left,n),t.lineTo(e.bbox.left+e.bbox.width,n),t.stroke()}t.restore()}]}},[a,...Id.map(([e])=>r.map(t=>t[e]))],e),e.dataset.days=String(r.length),e.dataset.inTheatre=String(r[r.length-1].in_theatre)}var Gd=[[`rdc`,`Rapid Deployment Capacity`],[`rotations`,`Rotations`],[`civilian`,`Civilian deployment`],[`planning`,`Capability planning`]],Kd={land:`Land`,air:`Air`,maritime:`Maritime`,joint:`Joint`,special:`Special operations`,enabler:`Strategic enablers`},qd={"<=5":`≤ 5 days`,"6-10":`6–10 days`,"11-30":`11–30 days`,"31-60":`31–60 days`,">60":`> 60 days`},Jd={optimal:[`ok`,`Optimal`],feasible:[`so`,`Feasible (the best found within the time limit; not proved optimal)`],infeasible:[`no`,`No force covers every requirement`],unknown:[`no`,`No force found within the time limit`]},Yd=200;function Xd(e,t){let n=new URLSearchParams(location.hash.split(`?`)[1]||``);return{view:e,own:n,tab:Gd.some(([e])=>e===t)?t:`rdc`,example:null,defaulted:!1,editions:[],edition:n.get(`edition`)||``,href(e,t={}){let n=new URLSearchParams({example:this.example?`1`:`0`});this.edition&&n.set(`edition`,this.edition);for(let[e,r]of Object.entries(t))r==null||r===``?n.delete(e):n.set(e,r);return`#/forces${e===`rdc`?``:`/${e}`}?${n}`},register(e=this.edition){let t=new URLSearchParams({example:this.example?`true`:`false`});return e&&t.set(`edition`,e),t.toString()}}}async function Zd(e,t){let n=Xd(e,t);n.own.has(`example`)&&(n.example=Ed(n.own.get(`example`)));let r=await xd(`/api/v1/forces/editions`);n.example===null&&(n.example=r.length===0,n.defaulted=n.example),n.editions=n.example?await xd(`/api/v1/forces/editions?example=true`):r;let i=n.editions.map(e=>e.edition);n.edition&&!i.includes(n.edition)&&(n.edition=``),e.innerHTML=`${hd}
    <h1>Forces and people: what member states offer, and what it can do</h1>
    <p class="muted">The Strategic Compass's "Act" systems on one register of national offers: the Rapid Deployment
      Capacity's overview of every available element and the best force for a crisis, rotations for a standing
      mission, a civilian mission of 200 experts in 30 days, and capability planning against Headline Goal
      scenarios. Each answer is computed by the server from what you may see and carries its marking; the banner
      shows the marking of what this view shows.</p>
    <div class="frc-tabs" role="navigation" aria-label="Forces views">${Gd.map(([e,t])=>`<a href="${j(n.href(e))}"
      data-tab="${e}"${e===n.tab?` aria-current="page"`:``}>${j(t)}</a>`).join(``)}</div>
    <form class="filters" id="frc-register" aria-label="Which register">
      <label class="check"><input type="checkbox" name="example" id="frc-example"${n.example?` checked`:``}>
        Example set (ILLUSTRATIVE)</label>
      <label>Edition<select name="edition"><option value="">newest${i.length?` (${j(i[i.length-1])})`:``}</option>${i.map(e=>`<option value="${j(e)}"${e===n.edition?` selected`:``}>${j(e)}
        </option>`).join(``)}</select></label>
      <span class="muted" id="frc-register-note">${n.example?`${n.defaulted?`No register contribution is visible to you, so the ILLUSTRATIVE example set is shown. `:``}Answers come from the example set shipped with Kompas.`:`Answers come from the ${Q(r.length)} edition(s) of the register you may see.`}
      </span>
    </form>
    <p class="muted frc-statement" id="frc-statement"><strong>Data:</strong> ${md}</p>
    <div id="frc-body"></div>`;let a=e.querySelector(`#frc-register`);a.elements.example.addEventListener(`change`,e=>{n.edition=``,n.example=e.target.checked,location.hash=n.href(n.tab,{edition:null})}),a.elements.edition.addEventListener(`change`,e=>{n.edition=e.target.value,location.hash=n.href(n.tab,{edition:e.target.value||null})});let o=e.querySelector(`#frc-body`);return n.tab===`planning`?jd(n,o):n.tab===`rotations`?zd(n,o):n.tab===`civilian`?Vd(n,o):$d(n,o)}function Qd(e,t,n){let r=new URLSearchParams(e.register(t));return n.capability&&r.set(`capability`,n.capability),n.nation&&r.set(`nation`,n.nation),n.ready!==``&&r.set(`max_readiness_days`,n.ready),r.set(`limit`,String(Yd)),`/api/v1/forces/elements?${r}`}async function $d(e,t){let{view:n,own:r}=e,i={capability:r.get(`capability`)||``,nation:r.get(`nation`)||``,ready:/^\d{1,4}$/.test(r.get(`ready`)||``)?r.get(`ready`):``},a,o,s;try{[a,s]=await Promise.all([xd(`/api/v1/forces/overview?${e.register()}`),xd(`/api/v1/forces/scenarios`)]),o=await xd(Qd(e,a.edition,i)).catch(t=>{if(t.status!==422)throw t;return i.capability=``,i.nation=``,i.ready=``,xd(Qd(e,a.edition,i))})}catch(n){await kd(e,t,n);return}await D(n,[a.marking,o.marking]);let c=Object.entries(a.by_capability),l=Object.keys(a.by_nation);t.innerHTML=`
    ${Td(a,`frc-illustrative`,`the register shown (edition ${a.edition})`)}
    <section aria-labelledby="frc-overview-title" id="frc-overview">
      <h2 id="frc-overview-title">Rapid Deployment Capacity: every available element (edition
        ${j(a.edition)})</h2>
      <p class="frc-marked" id="frc-overview-marking">This overview is marked ${yd(a.marking.banner)}: the
        combination of the ${a.example?`example set`:`${Q(a.documents.length)} register
        document(s)`} it is computed from.</p>
      <div class="frc-figures" id="frc-figures">
        <div><strong>${Q(a.elements)}</strong><span>force elements</span></div>
        <div><strong>${Q(a.troops)}</strong><span>troops</span></div>
        <div><strong>${Q(l.length)}</strong><span>nations</span></div>
        <div><strong>${Q(c.length)}</strong><span>capabilities offered</span></div>
        <div><strong>${Q(a.experts)}</strong><span>civilian experts</span></div>
        <div><strong>${Q(a.pools)}</strong><span>rotation pools</span></div>
        <div><strong>${Q(a.stocks)}</strong><span>stock lines</span></div>
      </div>
      <div class="frc-grid">
        <div>
          <h3 id="frc-components-title">By component (troops)</h3>
          ${Dd(`frc-components`,Object.entries(a.by_component).map(([e,t])=>({key:e,label:Kd[e]||e,value:t.troops,text:`${Q(t.troops)} (${Q(t.elements)} el.)`})),{caption:`Troops by component`})}
        </div>
        <div>
          <h3 id="frc-bands-title">Readiness (elements by days to move)</h3>
          ${Dd(`frc-bands`,Object.entries(a.readiness_bands).map(([e,t])=>({key:e,label:qd[e]||e,value:t})),{caption:`Elements by readiness band`})}
        </div>
      </div>
      <h3 id="frc-capabilities-title">Capabilities offered</h3>
      <div class="frc-scroll"><table id="frc-capabilities" aria-labelledby="frc-capabilities-title"><thead><tr>
        <th scope="col">Capability</th><th scope="col" class="n">Quantity</th><th scope="col" class="n">Elements</th>
        <th scope="col" class="n">Nations</th><th scope="col" class="n">Fastest (days)</th>
        <th scope="col">Offered by</th></tr></thead>
        <tbody>${c.map(([e,t])=>`<tr data-capability="${j(e)}"><td>${j(e)}</td>
          <td class="n">${Q(t.quantity)}</td><td class="n">${Q(t.elements)}</td>
          <td class="n nations">${Q(t.nations.length)}</td><td class="n">${Q(t.fastest_days)}</td>
          <td class="muted">${j(t.nations.join(`, `))}</td></tr>`).join(``)||`<tr><td colspan="6" class="muted">No capability offered.</td></tr>`}</tbody></table></div>
      <details id="frc-nations"><summary>By nation (${Q(l.length)})</summary>
        <table><thead><tr><th scope="col">Nation</th><th scope="col" class="n">Elements</th>
          <th scope="col" class="n">Troops</th><th scope="col" class="n">Civilian experts</th></tr></thead>
          <tbody>${Object.entries(a.by_nation).map(([e,t])=>`<tr data-nation="${j(e)}"><td>${j(e)}</td>
            <td class="n">${Q(t.elements)}</td><td class="n">${Q(t.troops)}</td><td class="n">${Q(t.experts)}</td>
            </tr>`).join(``)}</tbody></table></details>
    </section>
    <section aria-labelledby="frc-elements-title">
      <h2 id="frc-elements-title">Force elements</h2>
      <form class="filters" id="frc-element-filter" aria-label="Filter the force elements">
        <label>Capability<select name="capability"><option value="">any</option>${c.map(([e])=>`<option value="${j(e)}"${e===i.capability?` selected`:``}>${j(e)}</option>`).join(``)}
          </select></label>
        <label>Nation<select name="nation"><option value="">any</option>${l.map(e=>`<option
          value="${j(e)}"${e===i.nation?` selected`:``}>${j(e)}</option>`).join(``)}</select></label>
        <label>Ready within (days)<input name="ready" type="number" min="0" max="3650" value="${j(i.ready)}"
          style="width:6em"></label>
        <button type="submit">Show</button>
        <span class="muted" id="frc-elements-status" role="status" aria-live="polite"></span>
      </form>
      <div id="frc-elements-box"></div>
    </section>
    <section aria-labelledby="frc-gen-title" class="card">
      <h2 id="frc-gen-title">Force generation for a crisis</h2>
      <p class="muted">The best force for a scenario from the elements above (OR-Tools CP-SAT, exact): every
        requirement covered, at most the scenario's troop ceiling, ready within the response time, national caveats
        respected, the burden spread across contributors; when no force can, the fewest requirements that must go
        uncovered, each with why. The answer is marked with every element considered.</p>
      <form class="filters" id="frc-gen-form" aria-label="Generate a force">
        <label>Scenario<select name="scenario">${s.map(e=>`<option value="${j(e.name)}"${e.name===r.get(`scenario`)?` selected`:``}>${j(e.title||e.name)}${e.illustrative?` (ILLUSTRATIVE)`:``}</option>`).join(``)}</select></label>
        <label>Decision day<input name="start" type="date" min="1990-01-01" max="2100-12-31"
          title="Optional: elements must then be available for the whole operation"></label>
        <label>Weight per troop<input name="troop_weight" type="number" min="0" max="1000" value="2"
          style="width:5em"></label>
        <label>Weight of the largest national share<input name="fairness" type="number" min="0" max="1000" value="1"
          style="width:5em"></label>
        <button type="submit">Generate the force</button>
        <span class="muted" id="frc-gen-status" role="status" aria-live="polite"></span>
      </form>
      <div id="frc-scenario" class="frc-scenario"></div>
      <div id="frc-gen-result" aria-live="polite"><p class="muted">Pick a scenario and generate the force.</p></div>
    </section>`;let u=t=>{let n=new URLSearchParams(location.hash.split(`?`)[1]||``);for(let[e,r]of Object.entries(t))r?n.set(e,r):n.delete(e);n.set(`example`,e.example?`1`:`0`),history.replaceState(null,``,`#/forces?${n}`)},d=e=>{n.querySelector(`#frc-elements-box`).innerHTML=`
      <p id="frc-elements-count">${Q(e.elements.length)} of ${Q(e.total)} element(s), fastest first
        ${e.total>e.elements.length?`(the first ${Q(e.elements.length)})`:``}.
        ${yd(e.marking.banner)}</p>
      ${e.illustrative?`<p class="frc-illustrative" role="note"><strong>ILLUSTRATIVE</strong> — rows
        labelled illustrative: not real offers.</p>`:``}
      <div class="frc-scroll"><table id="frc-elements"><thead><tr><th scope="col">Nation</th><th scope="col">Name</th>
        <th scope="col">Type</th><th scope="col">Component</th><th scope="col" class="n">Troops</th>
        <th scope="col" class="n">Ready (days)</th><th scope="col">Capabilities</th><th scope="col">Available</th>
        <th scope="col">Caveats</th><th scope="col">Source</th></tr></thead>
        <tbody>${e.elements.map(e=>`<tr data-key="${j(`${e.nation}/${e.id}`)}"><td>${j(e.nation)}</td>
          <td class="name">${j(e.name)}${e.illustrative?` <span class="muted">(illustrative)</span>`:``}</td>
          <td>${j(e.type)}</td><td>${j(Kd[e.component]||e.component)}</td>
          <td class="n">${Q(e.strength)}</td><td class="n">${Q(e.readiness_days)}</td>
          <td class="caps">${j(Object.entries(e.capabilities||{}).map(([e,t])=>`${e} ×${t}`).join(`, `))}</td>
          <td class="time">${j(e.available_from||`now`)} – ${j(e.available_to||`open`)}</td>
          <td class="notes">${j(ef(e.caveats))}</td><td class="notes">${e.source_url?Od(e.source_url,!0):`-`}</td></tr>`).join(``)||`<tr><td colspan="10" class="muted">No element you may see matches.</td></tr>`}
        </tbody></table></div>`};d(o);let f=0,p=n.querySelector(`#frc-element-filter`);p.addEventListener(`submit`,async t=>{t.preventDefault();let r=p.elements,i={capability:r.capability.value,nation:r.nation.value,ready:r.ready.value.trim()};if(i.ready!==``&&!/^\d{1,4}$/.test(i.ready)){r.ready.setAttribute(`aria-invalid`,`true`);return}r.ready.removeAttribute(`aria-invalid`);let o=++f,s=n.querySelector(`#frc-elements-status`);s.textContent=`Loading…`;let c;try{c=await xd(Qd(e,a.edition,i))}catch(e){o===f&&await Sd(n,s,e,`Not listed`);return}o===f&&n.isConnected&&(await D(n,[c.marking]),o===f&&n.isConnected&&(s.textContent=``,u({capability:i.capability,nation:i.nation,ready:i.ready}),d(c)))});let m=n.querySelector(`#frc-gen-form`),h=Object.fromEntries(s.map(e=>[e.name,e])),g=()=>{let e=h[m.elements.scenario.value];n.querySelector(`#frc-scenario`).innerHTML=e?tf(e):``};m.elements.scenario.addEventListener(`change`,g),g();let _=0;m.addEventListener(`submit`,async t=>{t.preventDefault();let r=m.elements,i={scenario:r.scenario.value,example:e.example,edition:a.edition,troop_weight:Number(r.troop_weight.value||2),fairness:Number(r.fairness.value||1)};r.start.value&&(i.start=r.start.value);let o=++_,s=n.querySelector(`#frc-gen-status`);s.textContent=`Generating…`,m.querySelector(`button[type=submit]`).disabled=!0;let c;try{c=await xd(`/api/v1/forces/generate`,{method:`POST`,body:i})}catch(e){o===_&&await Sd(n,s,e,`No force`);return}finally{o===_&&(m.querySelector(`button[type=submit]`).disabled=!1)}o===_&&n.isConnected&&(await D(n,[c.marking]),o===_&&n.isConnected&&(s.textContent=``,u({scenario:i.scenario}),n.querySelector(`#frc-gen-result`).innerHTML=nf(c,a.illustrative)))}),h[r.get(`scenario`)]&&m.requestSubmit()}function ef(e){if(!e)return``;let t=[];return e.environments?.length&&t.push(`only ${e.environments.join(`/`)}`),e.max_distance_km!==void 0&&e.max_distance_km!==null&&t.push(`≤ ${e.max_distance_km} km`),e.max_duration_days!==void 0&&e.max_duration_days!==null&&t.push(`≤ ${e.max_duration_days} days`),e.excluded_tasks?.length&&t.push(`not for ${e.excluded_tasks.join(`, `)}`),e.not_with?.length&&t.push(`not with ${e.not_with.join(`, `)}`),e.requires?.length&&t.push(`requires ${e.requires.join(`, `)}`),e.notes&&t.push(e.notes),t.join(`; `)}function tf(e){return`<dl id="frc-scenario-facts">
      <dt>Scenario</dt><dd>${j(e.title||e.name)} <span class="muted">(${j(e.name)})</span>${e.illustrative?` <strong class="no">ILLUSTRATIVE</strong>`:``}</dd>
      <dt>Response</dt><dd>${Q(e.response_days)} days</dd><dt>Duration</dt><dd>${Q(e.duration_days)} days</dd>
      <dt>Distance</dt><dd>${Q(e.distance_km)} km from Brussels</dd><dt>Environment</dt><dd>${j(e.environment)}</dd>
      <dt>Troop ceiling</dt><dd>${Q(e.max_troops)}</dd>
      <dt>Requires</dt><dd>${j(e.requirements.map(e=>`${e.capability} ×${e.quantity}${e.task?` (${e.task})`:``}`).join(`, `))}</dd>
    </dl>
    ${e.assumed?.length?`<details><summary>${Q(e.assumed.length)} figure(s) assumed, unsourced</summary><ul>${e.assumed.map(e=>`<li>${j(e)}</li>`).join(``)}</ul></details>`:``}
    ${e.sources?.length||e.source_url?`<details><summary>Sources</summary><ul>${(e.sources?.length?e.sources:[e.source_url]).map(e=>`<li>${Od(e)}</li>`).join(``)}</ul></details>`:``}`}function nf(e,t){let[n,r]=Jd[e.status]||[`so`,e.status],i=Object.entries(e.shares||{}),a=Object.entries(e.transport||{}).map(([e,t])=>`${e} ${Q(t)}`).join(`, `),o=e.ceiling_binds===!0?`The troop ceiling binds: without it every requirement would be covered
    (${Q(e.troops_without_ceiling)} troops).`:e.ceiling_binds===!1?`The troop ceiling is not what binds: even without it some requirements could not be covered.`:``;return`
    <p class="frc-verdict" id="frc-gen-verdict" data-status="${j(e.status)}"><span class="${n}">${j(r)}
      </span> for ${j(e.scenario.title||e.scenario.name)}: ${Q(e.chosen.length)} element(s), ${Q(e.troops)}
      troops of at most ${Q(e.max_troops)}; the largest national share ${Q(e.peak)} troops${e.partial?` (the best force for every requirement not missing)`:``}. ${yd(e.marking.banner)}</p>
    ${Td(e,`frc-gen-illustrative`,`this force`,Cd(e,t||e.chosen.some(e=>e.illustrative)))}
    <p class="muted">Edition ${j(e.edition)}; ${Q(e.considered)} element(s) considered, ${Q(e.excluded.length)}
      excluded, ${Q(e.irrelevant)} offering none of the required capabilities; objective ${j(e.objective??`-`)}
      (weights: ${Q(e.weights?.troops)} per troop, ${Q(e.weights?.fairness)} on the largest share); solved in
      ${_d(e.seconds,2)} s.${a?` Transport needs: ${j(a)}.`:``}</p>
    ${e.missing.length?`<h3 id="frc-missing-title">Missing: the fewest requirements that must go uncovered</h3>
      <p>${e.missing_status===`optimal`?`Proved the smallest such set: putting any one back makes the rest infeasible.`:j(`Not proved the smallest (${e.missing_status||`time limit`}).`)} ${j(o)}</p>
      <table id="frc-missing" aria-labelledby="frc-missing-title"><thead><tr><th scope="col">Capability</th>
        <th scope="col">Task</th><th scope="col" class="n">Required</th><th scope="col" class="n">Offered</th>
        <th scope="col" class="n">Eligible</th><th scope="col">Why</th></tr></thead>
        <tbody>${e.missing.map(e=>`<tr data-capability="${j(e.capability)}"><td>${j(e.capability)}</td>
          <td>${j(e.task||`-`)}</td><td class="n">${Q(e.required)}</td><td class="n">${Q(e.offered)}</td>
          <td class="n">${Q(e.eligible)}</td><td>${j(e.reason)}</td></tr>`).join(``)}</tbody></table>`:``}
    <h3 id="frc-shares-title">National shares (troops)</h3>
    ${Dd(`frc-shares`,i.map(([t,n])=>({key:t,label:t,value:n,text:`${Q(n)} (${e.troops?Math.round(n/e.troops*100):0}\u202f%)`})),{caption:`Troops per contributing nation`})}
    <h3 id="frc-chosen-title">Chosen elements</h3>
    <div class="frc-scroll"><table id="frc-chosen" aria-labelledby="frc-chosen-title"><thead><tr>
      <th scope="col">Element</th><th scope="col">Nation</th><th scope="col">Name</th><th scope="col">Type</th>
      <th scope="col">Component</th><th scope="col" class="n">Troops</th><th scope="col" class="n">Ready (days)</th>
      <th scope="col">Capabilities</th><th scope="col">Caveats</th><th scope="col">Marking</th></tr></thead>
      <tbody>${e.chosen.map(e=>`<tr data-element="${j(e.element)}"><td>${j(e.element)}</td>
        <td>${j(e.nation)}</td><td class="name">${j(e.name)}${e.illustrative?` <span class="muted">(illustrative)</span>`:``}</td><td>${j(e.type)}</td>
        <td>${j(Kd[e.component]||e.component)}</td><td class="n">${Q(e.strength)}</td>
        <td class="n">${Q(e.readiness_days)}</td><td class="caps">${j(Object.entries(e.capabilities||{}).map(([e,t])=>`${e} ×${t}`).join(`, `))}</td><td class="notes">${j(e.caveats||``)}</td>
        <td>${yd(e.marking)}</td></tr>`).join(``)||`<tr><td colspan="10" class="muted">None chosen.</td></tr>`}
      </tbody></table></div>
    <h3 id="frc-covers-title">Coverage per requirement</h3>
    <table id="frc-covers" aria-labelledby="frc-covers-title"><thead><tr><th scope="col">Capability</th>
      <th scope="col">Task</th><th scope="col" class="n">Required</th><th scope="col" class="n">Covered</th>
      <th scope="col" class="n">Ready within (days)</th><th scope="col">From</th></tr></thead>
      <tbody>${e.covers.map(t=>`<tr data-capability="${j(t.capability)}"${t.covered<t.required?` class="short"`:``}><td>${j(t.capability)}</td><td>${j(t.task||`-`)}</td>
        <td class="n">${Q(t.required)}</td><td class="n">${Q(t.covered)}</td>
        <td class="n">${Q(t.readiness_days??e.scenario.response_days)}</td><td class="caps">${j(Object.entries(t.sources||{}).map(([e,t])=>`${e} ×${t}`).join(`, `)||`-`)}</td></tr>`).join(``)||`<tr><td colspan="6" class="muted">No requirement covered.</td></tr>`}</tbody></table>
    <h3 id="frc-excluded-title">Excluded elements (${Q(e.excluded.length)})</h3>
    ${e.excluded.length?`<details id="frc-excluded-box"${e.excluded.length<=12?` open`:``}><summary>Why each
      was left out</summary><table id="frc-excluded" aria-labelledby="frc-excluded-title"><thead><tr>
      <th scope="col">Element</th><th scope="col">Why</th></tr></thead><tbody>${e.excluded.map(e=>`<tr
      data-element="${j(e.element)}"><td>${j(e.element)}</td><td>${j(e.reason)}</td></tr>`).join(``)}</tbody>
      </table></details>`:`<p class="muted">None: every element offering a required capability was eligible.</p>`}`}var rf={jamming:`Jamming`,spoofing:`Spoofing`,"unknown-emi":`EMI (not attributed)`,laser:`Laser`,kinetic:`Kinetic`,"cyber-intrusion":`Cyber intrusion`,physical:`Physical`,rpo:`Rendezvous and proximity`,"space-weather":`Space weather`},af=[`HF`,`VHF`,`UHF`,`L`,`S`,`C`,`X`,`Ku`,`K`,`Ka`,`V`,`W`,`mm`],of=[`UNCLASSIFIED`,`RESTRICTED`,`CONFIDENTIAL`,`SECRET`,`TOP_SECRET`],sf=[`CLEAR`,`GREEN`,`AMBER`,`AMBER+STRICT`,`RED`],cf=[`CLEAR`,`GREEN`,`AMBER`,`RED`],lf=31,uf=e=>e?`<span class="mark">${j(e.banner)}</span>`:``,df=(e,t,n=`${t}s`)=>`${N(e)} ${e===1?t:n}`,ff=(e,t=1,n=``)=>e==null?`-`:`${Number(e).toFixed(t)}${n?` ${n}`:``}`,pf=`Sources: the reporting elements and their STIX 2.1 mapping follow the OASIS Space Automated Threat
  Intelligence Sharing (SATIS) TC work (the Space ISAC's contribution “RF EMI to STIX Notional Mapping”, 2025); technique
  ids are SPARTA's (Space Attack Research and Tactic Analysis, © The Aerospace Corporation, sparta.aerospace.org);
  resilience practices are ENISA's (Space Threat Landscape, 2025, control framework, CC BY 4.0; Kompas maps its
  interference types to ENISA's threats); reports are contributed by platform members under their own markings.`;async function mf(e){let t=new URLSearchParams(location.hash.split(`?`)[1]||``);e.innerHTML=`
    <h1>Space ISAC: incident reports, “me too” surges and resilience practices</h1>
    <p class="muted">Reports members share with the Space ISAC, as far as you may see them, each with its own marking,
      TLP and PAP. Who reported is known to the platform; other members see “anonymous”, a pseudonym, or the
      organisation when it asked to be named. Times are UTC (ISO 8601), frequencies in MHz.</p>
    <form class="filters card" id="isac-filters" aria-label="Filter the reports">
      <label>Started from (UTC)<input name="since" data-utc placeholder="2026-05-01T00:00:00Z" size="22"
        maxlength="30"></label>
      <label>Started before (UTC)<input name="until" data-utc placeholder="2026-05-08T00:00:00Z" size="22"
        maxlength="30"></label>
      <label>Interference<select name="interference"><option value="">any</option>${Object.entries(rf).map(([e,t])=>`<option value="${e}">${j(t)}</option>`).join(``)}</select></label>
      <label>Band (IEEE 521)<select name="band"><option value="">any</option>${af.map(e=>`<option>${e}</option>`).join(``)}</select></label>
      <label>NORAD id<input name="norad_id" inputmode="numeric" pattern="\\d{1,9}" size="9" maxlength="9"></label>
      <input type="hidden" name="cluster">
      <button type="submit">Apply</button><button type="reset">Clear</button>
      <span id="isac-count" class="muted" aria-live="polite"></span>
    </form>
    <section aria-labelledby="isac-clusters-title">
      <h2 id="isac-clusters-title">Clusters of similar reports (“me too”)</h2>
      <p class="muted">Same interference family, within 6 h, overlapping bands, within 500 km; a surge is at least 3
        reports from 2 members within 6 h. Over the period of the filters (at most ${lf} days; without one, the
        last ${lf} days).</p>
      <div id="isac-clusters" aria-live="polite"><p class="muted">Loading…</p></div>
    </section>
    <section aria-labelledby="isac-reports-title">
      <h2 id="isac-reports-title">Reports</h2>
      <table id="isac-reports"><thead></thead><tbody></tbody></table>
      <section id="isac-detail" class="card" hidden aria-live="polite" tabindex="-1"></section>
    </section>
    <section class="card" aria-labelledby="isac-report-title">
      <h2 id="isac-report-title">Report an incident</h2>
      <p class="muted">Kompas ISAC JSON (a report, a list, or {"reports": [...]}) or one report in the Space ISAC
        notional reporting format (TITLE:, SUMMARY:, ANOMALY DETAILS:, SATELLITE/SENSOR DETAILS:). The marking, PAP
        and disclosure below apply to reports that state none; your organisation is the originator. Records that
        cannot be read are listed with their reason; the others are shared.</p>
      <form id="isac-report" class="filters" aria-label="Report an incident">
        <label style="flex-basis:100%">Report (text)<textarea name="content" rows="8" cols="100" maxlength="200000"
          required></textarea></label>
        <label>…or read it from a file<input type="file" name="file" accept=".json,.txt,.md,application/json,text/plain">
        </label>
        <label>Format<select name="format"><option value="">recognise it</option><option value="json">Kompas ISAC
          JSON</option><option value="notional">notional format</option></select></label>
        <label>Classification<select name="classification">${of.map(e=>`<option>${e}</option>`).join(``)}
          </select></label>
        <label>TLP<select name="tlp">${sf.map(e=>`<option${e===`AMBER`?` selected`:``}>${e}</option>`).join(``)}</select></label>
        <label>PAP<select name="pap">${cf.map(e=>`<option${e===`AMBER`?` selected`:``}>${e}</option>`).join(``)}</select></label>
        <label>Need-to-know communities (comma-separated)<input name="communities" size="18" maxlength="300"></label>
        <label>Disclosure<select name="disclosure"><option value="anonymous">anonymous</option>
          <option value="pseudonymous">pseudonymous (your organisation's pseudonym)</option>
          <option value="named">named</option></select></label>
        <button type="submit">Report</button>
      </form>
      <div id="isac-report-result" role="status" aria-live="polite"></div>
    </section>
    <p class="muted" id="isac-sources">${pf}</p>`;let r=e.querySelector(`#isac-filters`),i=e.querySelector(`#isac-clusters`),a=0,o=async()=>{let t=++a,o=I(r.elements.since.value||``),s=I(r.elements.until.value||``),c=new URLSearchParams;if(o&&c.set(`since`,o),s&&c.set(`until`,s),o&&s&&(Date.parse(s)-Date.parse(o))/864e5>lf){i.innerHTML=`<p class="muted">Clusters are looked for over at most ${lf} days: narrow the
        period to see them.</p>`;return}let l;try{l=await y(`/api/v1/isac/clusters?${c}`)}catch(e){if(e instanceof n)throw e;t===a&&(i.innerHTML=`<p class="error" role="alert">${j(e.message)}</p>`);return}t===a&&(await D(e,[l.marking,...l.clusters.map(e=>e.marking)]),t===a&&(i.innerHTML=_f(l),i.dataset.loaded=String(t)))},s=await B({view:e,path:`/api/v1/isac/reports`,table:e.querySelector(`#isac-reports`),form:r,status:e.querySelector(`#isac-count`),defaultSort:`-start`,limit:25,rowAttributes:e=>`class="link" tabindex="0" data-id="${j(e.id)}"`,columns:[{label:`Start (UTC)`,sort:[`start`,`-start`],descFirst:!0,cell:e=>`<span class="time">${j(M(e.start_utc,0))}</span>`},{label:`Title`,sort:null,cell:e=>j(e.title)},{label:`Interference`,sort:null,cell:e=>j(rf[e.interference]||e.interference)},{label:`Segment`,sort:null,cell:e=>j(e.segment)},{label:`Band`,sort:null,cell:e=>j(gf(e.band))},{label:`Objects`,sort:null,cell:e=>j((e.satellites||[]).map(e=>e.name||e.norad_id).join(`, `)||`-`)},{label:`Contributor`,sort:null,cell:e=>j(e.contributor)+(e.yours?` <span class="muted">(your organisation)</span>`:``)},{label:`Seen too`,sort:null,numeric:!0,cell:e=>N(e.seen_count)},{label:`TLP / PAP`,sort:null,cell:e=>`${j(e.marking.tlp)} / ${j(e.pap)}`},{label:`Marking`,sort:null,cell:e=>uf(e.marking)}]});r.addEventListener(`submit`,()=>{o().catch(()=>{})}),r.addEventListener(`reset`,()=>setTimeout(()=>{r.elements.cluster.value=``,r.requestSubmit()})),i.addEventListener(`click`,t=>{let n=t.target.closest(`button[data-cluster]`);if(n){r.elements.cluster.value=n.dataset.cluster,r.requestSubmit(),e.querySelector(`#isac-reports-title`).scrollIntoView({block:`start`});return}let i=t.target.closest(`button[data-report]`);i&&u(i.dataset.report)});let c=e.querySelector(`#isac-detail`),l=0,u=async t=>{let r=++l;c.hidden=!1,c.innerHTML=`<p class="muted">Loading the report…</p>`;try{let[n,i]=await Promise.all([y(`/api/v1/isac/reports/${encodeURIComponent(t)}`),y(`/api/v1/isac/reports/${encodeURIComponent(t)}/controls`)]);if(r!==l||(await D(e,[n.answer_marking,n.marking,i.marking]),r!==l))return;c.innerHTML=yf(n,i),c.dataset.id=n.id}catch(e){if(e instanceof n)throw e;if(r!==l)return;c.innerHTML=`<p class="error" role="alert">Could not open the report: ${j(e.message)}</p>`}c.focus({preventScroll:!0}),c.scrollIntoView({block:`nearest`})},d=e.querySelector(`#isac-reports tbody`);d.addEventListener(`click`,e=>{let t=e.target.closest(`tr[data-id]`);t&&!e.target.closest(`a, button`)&&u(t.dataset.id)}),d.addEventListener(`keydown`,e=>{let t=e.target.closest(`tr[data-id]`);t&&e.key===`Enter`&&(e.preventDefault(),u(t.dataset.id))}),c.addEventListener(`click`,async e=>{let t=e.target.closest(`button[data-export]`);if(t)await Sf(c,t);else if(e.target.closest(`button#isac-seen`)){let e=c.querySelector(`#isac-seen-status`),t=c.querySelector(`#isac-seen-note`).value.trim();try{await y(`/api/v1/isac/reports/${encodeURIComponent(c.dataset.id)}/seen`,{method:`POST`,body:{note:t}}),await u(c.dataset.id),s.reload()}catch(t){if(t instanceof n)throw t;e.innerHTML=`<span class="error" role="alert">Not recorded: ${j(t.message)}</span>`}}});let f=e.querySelector(`#isac-report`);f.elements.file.addEventListener(`change`,async()=>{let e=f.elements.file.files[0];e&&(f.elements.content.value=await e.text())}),f.addEventListener(`submit`,async t=>{t.preventDefault();let r=f.elements,i=e.querySelector(`#isac-report-result`),a=r.communities.value.split(`,`).map(e=>e.trim().toLowerCase()).filter(Boolean),c={content:r.content.value,pap:r.pap.value,disclosure:r.disclosure.value,marking:{classification:r.classification.value,tlp:r.tlp.value,communities:a}};r.format.value&&(c.format=r.format.value),i.innerHTML=`<p class="muted">Reporting…</p>`;try{i.innerHTML=Cf(await y(`/api/v1/isac/reports`,{method:`POST`,body:c})),await Promise.all([s.reload(),o()])}catch(e){if(e instanceof n)throw e;i.innerHTML=`<p class="error" role="alert">Refused: ${j(e.message)}</p>`}}),hf(e).addEventListener(`click`,e=>{let t=e.target.closest(`button[data-report]`);t&&u(t.dataset.report)}),await o().catch(e=>{if(e instanceof n)throw e;i.innerHTML=`<p class="error" role="alert">${j(e.message)}</p>`}),t.get(`report`)&&await u(t.get(`report`))}function hf(e){return e.querySelector(`#isac-report-result`)}function gf(e){if(!e)return`-`;let t=e.low_mhz===null||e.low_mhz===void 0?``:e.low_mhz===e.high_mhz?` ${e.low_mhz} MHz`:` ${e.low_mhz}–${e.high_mhz} MHz`;return`${e.letter||``}${t}`.trim()||`-`}function _f(e){let t=(e.notes||[]).map(e=>`<p class="muted">${j(e)}</p>`).join(``);return e.clusters.length?`<p>${df(e.clusters.length,`cluster`)}, ${df(e.surges,`surge`)} among
    ${df(e.reports,`report`)} you may see between ${j(M(e.since_utc,0))} and
    ${j(M(e.until_utc,0))}.</p>${t}
    <div class="isac-clusters">${vf(e.clusters)}
    <ul class="isac-cluster-list">${e.clusters.map(e=>`<li class="card${e.surge?` surge`:``}"
      data-cluster-id="${j(e.id)}"><strong>${e.surge?`SURGE: `:``}${j(e.family)} family,
      ${df(e.members.length,`report`)} from ${df(e.reporters,`member`)}</strong>
      <span class="muted">${j(M(e.start_utc,0))} to ${j(M(e.stop_utc,0))}; band ${j(gf(e.band))};
      ${e.centroid_lat_deg===null?`no place`:`near ${ff(e.centroid_lat_deg,2)}°, ${ff(e.centroid_lon_deg,2)}°`}${e.regions.length?`; ${j(e.regions.join(`, `))}`:``}</span>
      ${uf(e.marking)}
      <ul>${e.members.map(e=>`<li><button type="button" class="linkish" data-report="${j(e.id)}">${j(e.title)}</button> <span class="muted">${j(M(e.start_utc,0))}, ${j(e.contributor)}</span></li>`).join(``)}</ul>
      <button type="button" data-cluster="${j(e.id)}">List these reports</button></li>`).join(``)}</ul></div>`:`<p class="muted">No two similar reports you may see between ${j(M(e.since_utc,0))} and
      ${j(M(e.until_utc,0))} (${df(e.reports,`report`)} read).</p>${t}`}function vf(e){let t=e.filter(e=>e.centroid_lat_deg!==null);if(!t.length)return``;let[n,r]=[360,180],i=e=>e+180,a=e=>90-e,o=[];for(let e=-180;e<=180;e+=30)o.push(`<line class="grid" x1="${i(e)}" x2="${i(e)}" y1="0" y2="${r}"></line>`);for(let e=-90;e<=90;e+=30)o.push(`<line class="grid" x1="0" x2="${n}" y1="${a(e)}" y2="${a(e)}"></line>`);return`<svg id="isac-plot" class="card" viewBox="0 0 ${n} ${r}" width="360" height="180" role="img"
    aria-label="Cluster centroids on a latitude-longitude grid (30° lines): ${j(t.map(e=>`${e.family} ${e.members.length} reports near ${ff(e.centroid_lat_deg,1)}°,
    ${ff(e.centroid_lon_deg,1)}°`).join(`; `))}">
    <rect x="0" y="0" width="${n}" height="${r}" fill="#cddbe6"></rect>${o.join(``)}
    ${t.map(e=>`<circle cx="${i(e.centroid_lon_deg).toFixed(2)}" cy="${a(e.centroid_lat_deg).toFixed(2)}"
      r="${Math.min(9,2+e.members.length)}" fill="${e.surge?`#c8102e`:`#8e44ad`}" stroke="white"
      stroke-width="0.8"><title>${j(`${e.family}: ${e.members.length} reports`)}</title></circle>`).join(``)}
  </svg>`}function yf(e,t){let n=(e.locations||[]).map(e=>`<li>${j(e.kind)}: ${e.lat_deg===null?j(e.region):`${ff(e.lat_deg,4)}°, ${ff(e.lon_deg,4)}°`}${e.radius_km?` (radius ${ff(e.radius_km,0)} km)`:``}
    ${e.label?`<span class="muted">${j(e.label)}</span>`:``}</li>`).join(``),r=[[`Interference`,`${j(rf[e.interference]||e.interference)} <span class="muted">(${j(e.family)}
      family)</span>`],[`Segment`,j(e.segment)+(e.link?` (${j(e.link)})`:``)],[`Start – stop (UTC)`,`${j(M(e.start_utc))} – ${j(e.stop_utc?M(e.stop_utc):`not stated`)}`],[`Reported (UTC)`,j(M(e.reported_utc))],[`Band`,`${j(gf(e.band))}${e.band_itu?` <span class="muted">(ITU ${j(e.band_itu)})</span>`:``}`],[`Satellites`,j((e.satellites||[]).map(e=>(e.norad_id?`${e.name||``} (NORAD ${e.norad_id})`:e.name).trim()).join(`, `)||`-`)+(e.norad_ids_obfuscated?` <span class="muted">(NORAD ids obfuscated by
      the reporter)</span>`:``)],[`Impact`,`${j(e.impact_level)}; after the event: ${j(e.post_event_status)}${e.payload_impact?`; ${j(e.payload_impact)}`:``}`],[`SPARTA techniques`,(e.sparta_ids||[]).map(e=>`<a href="https://sparta.aerospace.org/technique/${j(e.replace(`.`,`/`))}/" rel="noopener noreferrer" target="_blank">${j(e)}</a>`).join(`, `)||`-`],[`ATT&amp;CK techniques`,j((e.attack_ids||[]).join(`, `)||`-`)],[`Contributor`,e.yours?`${j(e.reporter)} <span class="muted">(your organisation; other members see “${j(e.contributor)}”)</span>`:j(e.contributor)],[`TLP / PAP`,`TLP:${j(e.marking.tlp)} / PAP:${j(e.pap)}`]],i=e.seen.length?`<ul>${e.seen.map(e=>`<li>${j(e.by)}${e.yours?` (you)`:``}, ${j(M(e.at_utc,0))}${e.note?`: ${j(e.note)}`:``} ${uf(e.marking)}</li>`).join(``)}</ul>`:`<p class="muted">No other member you may see has said so yet.</p>`;return`<h3>${j(e.title)} ${uf(e.marking)}</h3>
    ${e.summary?`<p>${j(e.summary)}</p>`:``}
    <table class="kv"><tbody>${r.map(([e,t])=>`<tr><th scope="row">${e}</th><td>${t}</td></tr>`).join(``)}
    </tbody></table>
    ${n?`<h4>Places</h4><ul>${n}</ul>`:``}
    <h4>Enrichment from the element sets you may see</h4>${bf(e.enrichment)}
    <h4>Seen it too (${N(e.seen_count)})</h4>${i}
    ${e.yours?``:`<div class="filters"><label>Your note (optional)<input id="isac-seen-note" maxlength="2000"
      size="40"></label><button type="button" id="isac-seen">Seen it too</button>
      <span id="isac-seen-status" role="status" aria-live="polite"></span></div>`}
    <h4>Resilience practices (ENISA) for ${j(t.threats.join(`, `))} ${uf(t.marking)}</h4>
    ${xf(t)}
    <div class="filters"><button type="button" data-export="stix">Download STIX 2.1 bundle</button>
      <button type="button" data-export="misp">Download MISP event</button>
      <span id="isac-export-status" class="muted" role="status" aria-live="polite"></span></div>
    <p class="muted">Event: <a href="#/event/${j(e.id)}">this report on the Events page</a>; its STIX mapping follows
      the OASIS SATIS work; SPARTA ids © The Aerospace Corporation.</p>`}function bf(e){if(!e)return`<p class="muted">Not asked for.</p>`;let t=(e.notes||[]).map(e=>`<p class="muted">${j(e)}</p>`).join(``);return`${(e.objects||[]).map(t=>`<div class="card"><strong>NORAD ${j(t.norad_id)}</strong>
    ${t.note?`<span class="muted">${j(t.note)}</span>`:``}
    <table class="kv"><tbody>
      <tr><th scope="row">Element set before / after (epoch UTC)</th><td>${j(M(t.before_epoch_utc,0))} ${uf(t.before_marking)} / ${j(M(t.after_epoch_utc,0))} ${uf(t.after_marking)}</td></tr>
      <tr><th scope="row">Orbit</th><td>${j(t.regime||`-`)}, perigee ${ff(t.perigee_km,1,`km`)}, apogee
        ${ff(t.apogee_km,1,`km`)}, inclination ${ff(t.inclination_deg,3,`°`)}; set ${ff(t.set_age_days,2,`days`)} old at the time</td></tr>
      <tr><th scope="row">Sub-satellite point at the start</th><td>${ff(t.subpoint_lat_deg,3,`°`)},
        ${ff(t.subpoint_lon_deg,3,`°`)}, height ${ff(t.subpoint_height_km,1,`km`)}</td></tr>
      <tr><th scope="row">Objects within ${ff(e.radius_km,0,`km`)}</th><td>${(t.neighbours||[]).map(e=>`<a href="#/object/${j(e.norad_id)}">${j(e.name||e.norad_id)}</a> ${ff(e.distance_km,1,`km`)}
        ${uf(e.marking)}`).join(`; `)||`none`}</td></tr>
    </tbody></table></div>`).join(``)}${(e.events||[]).length?`<p>Events of these objects within ${j(e.window_days)} days:</p><ul>${e.events.map(e=>`<li><a href="#/event/${j(e.id)}">${j(e.title)}</a> <span class="muted">${j(e.domain)}
    ${j(e.type)}, ${j(M(e.time_utc,0))}</span> ${uf(e.marking)}</li>`).join(``)}</ul>`:``}${t}<p class="muted">Marking of the enrichment: ${j(e.marking.banner)}</p>`}function xf(e){return e.controls.length?`<ul class="isac-controls">${e.controls.map(e=>`<li><strong>${j(e.name)}</strong> <span class="muted">(${j(e.cluster)}; for ${j(e.threat)})</span><br>${j(e.statement)}</li>`).join(``)}</ul>
    <p class="muted">${j(e.attribution)} (<a href="https://creativecommons.org/licenses/by/4.0/" rel="noopener
      noreferrer" target="_blank">licence</a>). ${j(e.mapping)}. Library: ${j(e.library)}.</p>`:`<p class="muted">ENISA lists no control for these threats in the library at hand.</p>`}async function Sf(e,t){let r=e.querySelector(`#isac-export-status`),i=t.dataset.export;try{let t=await y(`/api/v1/isac/reports/${encodeURIComponent(e.dataset.id)}/${i}`,{raw:!0}),n=await t.blob();Da(`isac_${e.dataset.id}.${i===`stix`?`stix.json`:`misp.json`}`,n,i===`stix`?`application/stix+json`:`application/json`),r.textContent=`Downloaded (${t.headers.get(`X-Kompas-Marking`)||`marking in the file`}).`}catch(e){if(e instanceof n)throw e;r.innerHTML=`<span class="error" role="alert">${j(e.message)}</span>`}}function Cf(e){let t=(e,t)=>e.length?`<p>${t}:</p><ul>${e.map(e=>`<li>${j(e.source)}
    item ${j(e.line??e.item??0)}: ${j(e.field||`-`)}: ${j(e.reason)}</li>`).join(``)}</ul>`:``;return`<p>${df(e.added.length,`report`)} shared, ${df(e.replaced.length,`report`)} updated,
    ${df(e.rejected.length,`record`)} rejected${e.pseudonym?`; your pseudonym: ${j(e.pseudonym)}`:``}.</p>${[...e.added,...e.replaced].map(e=>`<button type="button" class="linkish"
    data-report="${j(e)}">Open ${j(e)}</button>`).join(` `)}
    ${t(e.rejected,`Rejected`)}${t(e.warnings,`Shared with a caution`)}
    ${(e.notes||[]).map(e=>`<p class="muted">${j(e)}</p>`).join(``)}`}var wf=[[`technical`,`Technical`],[`operational`,`Operational`],[`political-strategic`,`Political / strategic`]],Tf={"on-time":`on time`,late:`late`,missed:`missed`,"before-inject":`before the inject`,raised:`raised`,"not-raised":`not raised`,met:`met`,partly:`partly met`,"not met":`not met`},Ef={width:760,height:440,left:64,right:16,top:16,bottom:46};function $(e,t=0){if(e==null||Number.isNaN(Number(e)))return`-`;let[n,r]=Number(e).toFixed(t).split(`.`);return r===void 0?N(n):`${N(n)}.${r}`}function Df(e){if(e==null||Number.isNaN(Number(e)))return`-`;let t=Number(e),n=t<0?`−`:``,r=Math.abs(t);return r<60?`${n}${r.toFixed(0)} s`:r<3600?`${n}${(r/60).toFixed(1)} min`:r<172800?`${n}${(r/3600).toFixed(2)} h`:`${n}${(r/86400).toFixed(2)} d`}var Of=e=>e?`<span class="mark">${j(e.banner)}</span>`:``;async function kf(e){let t=`/api/v1/exercises/${encodeURIComponent(e)}`,n;try{n=await y(`${t}/msel`)}catch(t){if(/^404/.test(t.message))return{code:e,missing:t.message.replace(/^404: /,``),markings:[]};throw t}let r=await y(`${t}/review`,{method:`POST`,body:{lessons:[]}});return{code:e,msel:n,review:r,markings:[n.marking,r.marking]}}async function Af(e){let t=u(),[n,r,i]=await Promise.all([y(`/api/v1/exercises/plan`),g(),t?kf(t):null]);await D(e,i?i.markings:[]),e.innerHTML=`
    <h1>Space exercises</h1>
    <p class="muted">The space strategy conclusions ask for a multi-annual plan of regular space security and defence
      exercises at several levels, testing the EU's response to large-scale space security incidents. Here: the
      exercise you work in (choose it in the header, "Context"), the plan, and break-ups drawn with the NASA Standard
      Breakup Model on the catalogue you may see. Everything an exercise makes is marked EXERCISE and reaches only
      its participants working in its context; times are UTC.</p>
    <section id="exr-run" aria-labelledby="exr-run-title"></section>
    <section id="exr-plan" aria-labelledby="exr-plan-title">${zf(n)}</section>
    <section id="exr-breakup" aria-labelledby="exr-breakup-title">${Vf()}</section>`;let a=e.querySelector(`#exr-run`);i?Mf(e,a,i):jf(a,r),Hf(e)}function jf(e,t){e.innerHTML=`<h2 id="exr-run-title">Running an exercise</h2>
    <p id="exr-context-note">You work in the real world: no exercise item is shown or counted.
    ${t.length?`Your organisation takes part in ${t.map(e=>`<strong>${j(e.code)}</strong>
      (${j(e.title)})`).join(`, `)}: choose it under "Context" in the header to see its master scenario events
      list, release its injects and review the response.`:`Your organisation takes part in no exercise. An exercise's scenario is built with <code>kompas exercise build</code> or <code>POST /api/v1/exercises/build</code>; its participants then choose it here.`}</p>`}function Mf(e,t,n){let{code:r}=n;if(n.missing){t.innerHTML=`<h2 id="exr-run-title">Exercise ${j(r)}</h2>
      <p id="exr-context-note">Exercise ${j(r)} has no scenario yet: ${j(n.missing)}</p>`;return}let{msel:i,review:a}=n;t.innerHTML=`<h2 id="exr-run-title">Exercise ${j(r)}: master scenario events list</h2>
    <p class="exr-illustrative" id="exr-run-label" role="note"><strong>${s}</strong> —
      ${j(i.label)}</p>
    <p class="exr-marked">Marking of the list: ${Of(i.marking)}</p>
    <p class="muted">Exercise clock from ${j(M(i.start_utc))}. An inject is <em>due</em> once its time has
      come on the exercise clock, <em>released</em> once the platform raised it as an event (marked EXERCISE, seen
      only in this exercise's context), <em>pending</em> before its time.</p>
    <p class="actions"><button type="button" id="exr-release">Release due injects</button>
      <span id="exr-release-status" role="status" aria-live="polite" class="muted"></span></p>
    <div id="exr-msel-box"></div>
    ${i.breakup?Ff(i.breakup,i.conjunctions):``}
    ${i.notes?.length?`<ul class="muted" id="exr-notes">${i.notes.map(e=>`<li>${j(e)}</li>`).join(``)}
      </ul>`:``}
    <h2 id="exr-review-title">After-action review</h2>
    <div id="exr-review-box"></div>
    ${Lf(a)}`,Pf(t.querySelector(`#exr-msel-box`),i),If(t.querySelector(`#exr-review-box`),a);let o=t.querySelector(`#exr-release-status`),c=t.querySelector(`#exr-release`);c.addEventListener(`click`,async()=>{c.disabled=!0,o.textContent=`Releasing…`;try{let n=await y(`/api/v1/exercises/${encodeURIComponent(r)}/release`,{method:`POST`,body:{}}),i=await kf(r);if(i.missing)throw Error(i.missing);if(await D(e,[n.marking,...i.markings]),!e.isConnected)return;Pf(t.querySelector(`#exr-msel-box`),i.msel),If(t.querySelector(`#exr-review-box`),i.review),o.textContent=`Released ${n.released.length} inject(s) now${n.released.length?` (${n.released.join(`, `)})`:``}; ${n.already} already out; ${n.pending} not yet due.${n.rejections.length?` ${n.rejections.length} refused: ${n.rejections.map(e=>e.reason).join(`; `)}`:``}`,o.className=``}catch(t){await D(e,[]).catch(()=>{}),o.textContent=`Could not release: ${t.message}`,o.className=`error`}finally{c.disabled=!1}}),Rf(e,t,r)}function Nf(e){return e.released_utc?[`released`,`released ${M(e.released_utc)}`]:e.due?[`due`,`due (not released)`]:[`pending`,`pending`]}function Pf(e,t){let n={released:0,due:0,pending:0};for(let e of t.injects)n[Nf(e)[0]]+=1;e.innerHTML=`<p id="exr-msel-counts">${t.injects.length} injects: ${n.released} released,
      ${n.due} due, ${n.pending} pending.</p>
    <div class="exr-scroll"><table id="exr-msel" aria-label="Master scenario events list of ${j(t.exercise)}">
    <thead><tr><th scope="col" class="n">Serial</th><th scope="col">Time (UTC)</th><th scope="col">From</th>
      <th scope="col">To</th><th scope="col">Method</th><th scope="col">Inject</th><th scope="col">Expected action</th>
      <th scope="col">Status</th></tr></thead>
    <tbody>${t.injects.map(e=>{let[t,n]=Nf(e);return`<tr data-inject="${j(e.inject_id)}" data-status="${t}" class="inject-${t}">
        <td class="n">${j(e.serial)}</td><td class="time">${j(M(e.time))}</td><td>${j(e.from)}</td>
        <td>${j(e.to)}</td><td>${j(e.method)}</td><td>${j(e.inject)}</td><td>${j(e[`expected action`])}</td>
        <td class="status">${j(n)}</td></tr>`}).join(``)}</tbody></table></div>`}function Ff(e,t){return`<div class="card" id="exr-scenario-breakup"><h3>The scenario's break-up</h3>
    <p>${j(e.parent_name)} (NORAD ${j(e.parent_norad_id)}), ${j(e.kind)} at ${j(M(e.epoch_utc))}:
      ${$(e.generated)} fragments of at least ${$(e.min_size_m,2)} m drawn (the model expects
      ${$(e.expected_count,1)}); ${$(t.length)} conjunctions of fragments with protected assets in
      the screening.</p></div>`}function If(e,t){let n=t.totals,r=t.injects.flatMap(e=>e.steps.map(t=>({...t,serial:e.serial})));e.innerHTML=`<p class="exr-marked">Marking of the review: ${Of(t.marking)}</p>
    <div class="exr-figures" id="exr-totals">
      <div data-key="injects"><strong>${$(n.injects)}</strong><span>injects</span></div>
      <div data-key="raised"><strong>${$(n.raised)}</strong><span>raised by the platform</span></div>
      <div data-key="not_raised"><strong>${$(n.not_raised)}</strong><span>not raised</span></div>
      <div data-key="raise_delay_median_s"><strong>${j(Df(n.raise_delay_median_s))}</strong><span>median
        raise delay</span></div>
      <div data-key="steps_expected"><strong>${$(n.steps_expected)}</strong><span>response steps expected</span></div>
      <div data-key="on_time"><strong>${$(n.on_time)}</strong><span>on time</span></div>
      <div data-key="late"><strong>${$(n.late)}</strong><span>late</span></div>
      <div data-key="missed"><strong>${$(n.missed)}</strong><span>missed</span></div>
      <div data-key="on_time_pct"><strong>${n.on_time_pct===null||n.on_time_pct===void 0?`-`:`${$(n.on_time_pct,0)}\u202f%`}</strong><span>of expected steps on time</span></div>
    </div>
    <h3>Injects: when the platform raised them</h3>
    <div class="exr-scroll"><table id="exr-review-injects"><thead><tr><th scope="col" class="n">Serial</th>
      <th scope="col">Inject</th><th scope="col">Time (UTC)</th><th scope="col">Raised (UTC)</th>
      <th scope="col" class="n">Raise delay</th><th scope="col">Status</th></tr></thead>
    <tbody>${t.injects.map(e=>`<tr data-inject="${j(e.inject_id)}" data-status="${j(e.raise_status)}">
      <td class="n">${j(e.serial)}</td><td>${j(e.inject_id)}</td><td class="time">${j(M(e.time_utc))}</td>
      <td class="time">${j(M(e.raised_utc))}</td><td class="n">${j(Df(e.raise_delay_s))}</td>
      <td class="st-${j(e.raise_status)}">${j(Tf[e.raise_status]??e.raise_status)}</td></tr>`).join(``)}</tbody></table></div>
    <h3>Expected response steps</h3>
    ${r.length?`<div class="exr-scroll"><table id="exr-steps"><thead><tr><th scope="col" class="n">Serial</th>
      <th scope="col">Inject</th><th scope="col">Workflow step</th><th scope="col" class="n">Allowed</th>
      <th scope="col">Taken (UTC)</th><th scope="col" class="n">Delay</th><th scope="col">Status</th></tr></thead>
    <tbody>${r.map(e=>`<tr data-inject="${j(e.inject_id)}" data-step="${j(`${e.workflow}/${e.step}`)}"
      data-status="${j(e.status)}"><td class="n">${j(e.serial)}</td><td>${j(e.inject_id)}</td>
      <td>${j(e.workflow)}/${j(e.step)}</td><td class="n">${j(Df(e.within_s))}</td>
      <td class="time">${j(M(e.taken_utc))}</td><td class="n">${j(Df(e.delay_s))}</td>
      <td class="st-${j(e.status)}">${j(Tf[e.status]??e.status)}${e.note?` <span class="muted">
        ${j(e.note)}</span>`:``}</td></tr>`).join(``)}</tbody></table></div>`:`<p class="muted" id="exr-steps-none">No inject of this list expects a response step.</p>`}
    <h3>Objectives of the plan</h3>
    ${t.objectives.length?`<table id="exr-objectives"><thead><tr><th scope="col">Objective</th>
      <th scope="col">Workflow steps</th><th scope="col">Art. 42(7)</th><th scope="col">Status</th>
      <th scope="col">Evidence</th></tr></thead>
    <tbody>${t.objectives.map(e=>`<tr data-objective="${j(e.id)}" data-status="${j(e.status)}">
      <td><strong>${j(e.id)}</strong> ${j(e.text)}</td><td>${j(e.workflow)}: ${e.steps.map(j).join(` → `)}</td>
      <td>${e.art_42_7?`<span class="art427">Art. 42(7)</span>`:`-`}</td>
      <td class="obj-${j(e.status.replace(` `,`-`))}">${j(Tf[e.status]??e.status)}</td>
      <td><ul class="evidence">${e.evidence.map(e=>`<li>${j(e)}</li>`).join(``)}</ul></td></tr>`).join(``)}
    </tbody></table>`:`<p class="muted">This exercise is not in the plan: no objective to measure.</p>`}
    ${t.rejections?.length?`<p class="error">Refused by the review: ${t.rejections.map(e=>j(`${e.field}: ${e.reason}`)).join(`; `)}</p>`:``}`}function Lf(e){return`<h3>Lessons</h3>
    <form class="filters" id="exr-lessons-form" aria-label="Record a lesson">
      <label>Lesson<input name="text" required maxlength="2000" size="40"></label>
      <label>Owner<input name="owner" required maxlength="200"></label>
      <label>Due (UTC date)<input name="due" type="date" required></label>
      <label>Objective<select name="objective"><option value="">-</option>${e.objectives.map(e=>`<option value="${j(e.id)}">${j(e.id)}</option>`).join(``)}</select></label>
      <button type="submit">Record as a commitment</button>
    </form>
    <div id="exr-lessons"></div>`}function Rf(e,t,n){let r=t.querySelector(`#exr-lessons-form`),i=t.querySelector(`#exr-lessons`);r.addEventListener(`submit`,async t=>{t.preventDefault();let a={text:r.elements.text.value,owner:r.elements.owner.value,due:r.elements.due.value,objective:r.elements.objective.value};try{let t=await y(`/api/v1/exercises/${encodeURIComponent(n)}/review`,{method:`POST`,body:{lessons:[a]}});if(await D(e,[t.marking]),!e.isConnected)return;let r=t.lessons||{register_entries:[],rejections:[]};i.innerHTML=`${r.register_entries.length?`<p>Proposed entries of the commitments register (add them
        to the register with their evidence notes):</p><ul id="exr-lesson-entries">${r.register_entries.map(e=>`<li><strong>${j(e.id)}</strong> ${j(e.summary)} — owner ${j(e.actors.join(`, `))}, due
        ${j(e.deadline)}</li>`).join(``)}</ul>`:``}${r.rejections.length?`<p class="error">${r.rejections.map(e=>j(`${e.field}: ${e.reason}`)).join(`; `)}</p>`:``}`}catch(t){await D(e,[]).catch(()=>{}),i.innerHTML=`<p class="error" role="alert">Could not record the lesson: ${j(t.message)}</p>`}})}function zf(e){let t=[...new Set(e.exercises.map(e=>e.year))].sort((e,t)=>e-t),n=(t,n)=>e.exercises.filter(e=>e.year===t&&e.level===n).map(e=>`
    <div class="exr-ex" data-code="${j(e.code)}">
      <p><strong>${j(e.code)}</strong>${e.illustrative?` <span class="exr-tag">ILLUSTRATIVE</span>`:``}
        <span class="muted">${j(e.kind)} · scenario ${j(e.scenario)} · from ${j(M(e.start_utc,0))},
        ${$(e.duration_h)} h</span></p>
      <p>${j(e.title)}</p>
      <ul class="objectives">${e.objectives.map(e=>`<li data-objective="${j(e.id)}"><strong>${j(e.id)}</strong>
        ${j(e.text)} <span class="muted">(${j(e.workflow)}: ${e.steps.map(j).join(` → `)})</span>${e.art_42_7?` <span class="art427">Art. 42(7)</span>`:``}</li>`).join(``)}</ul>
      <p class="muted participants">${e.participants.map(e=>`${j(e.org)} (${j(e.role)})`).join(`, `)}</p>
    </div>`).join(``)||`<span class="muted">-</span>`;return`<h2 id="exr-plan-title">The multi-annual plan</h2>
    <p class="exr-illustrative" id="exr-illustrative" role="note"><strong>ILLUSTRATIVE</strong> — ${j(e.title)}.
      No EU multi-annual plan of space exercises is public: the ${e.exercises.length} exercises below are invented
      to show the model, not any institution's plan. The precedents under them are real exercises (each verified in
      a public source, or not).</p>
    <div class="exr-scroll"><table id="exr-plan-table" aria-label="Exercises by year and level">
      <thead><tr><th scope="col">Year</th>${wf.map(([e,t])=>`<th scope="col" data-level="${e}">${t}</th>`).join(``)}</tr></thead>
      <tbody>${t.map(e=>`<tr data-year="${e}"><th scope="row">${e}</th>${wf.map(([t])=>`<td data-level="${t}">${n(e,t)}</td>`).join(``)}</tr>`).join(``)}</tbody></table></div>
    <h3>Precedents</h3>
    <table id="exr-precedents"><thead><tr><th scope="col">Exercise</th><th scope="col" class="n">Year</th>
      <th scope="col">Level, kind</th><th scope="col">Art. 42(7)</th><th scope="col">Source checked</th>
      <th scope="col">Summary</th><th scope="col">Sources</th></tr></thead>
    <tbody>${e.precedents.map(e=>`<tr data-id="${j(e.id)}" data-verified="${e.verified}">
      <td>${j(e.name)}</td><td class="n">${j(e.year)}</td><td>${j([e.level,e.kind].filter(Boolean).join(`, `)||`-`)}</td><td>${e.art_42_7===!0?`<span class="art427">Art. 42(7)</span>`:e.art_42_7===!1?`no`:`not known`}</td>
      <td class="${e.verified?`verified`:`unverified`}">${e.verified?`verified`:`unverified`}${e.checked?`<br><span class="muted">${j(e.checked)}</span>`:``}</td>
      <td>${j(e.summary)}</td><td>${e.sources.map(Bf).join(`<br>`)}</td></tr>`).join(``)}</tbody></table>
    <h3>Findings on the plan</h3>
    <div id="exr-findings">${e.findings.length?`<ul>${e.findings.map(e=>`<li data-kind="${j(e.kind)}">
      ${e.year?`${j(e.year)}: `:``}${j(e.text)}</li>`).join(``)}</ul>`:`<p>None: every level is exercised every year, every year is tied to the annual monitoring of Decision (CFSP)
      2021/698, and the plan exercises Article 42(7).</p>`}
    ${e.rejections.length?`<p class="error">Refused in the plan file: ${e.rejections.map(e=>j(`item ${e.line??e.item??``} ${e.field}: ${e.reason}`)).join(`; `)}</p>`:``}</div>`}function Bf(e){let t=String(e).match(/^(https?:\/\/\S+)(.*)$/);return t?`<a href="${j(t[1])}" rel="noopener noreferrer" target="_blank">${j(t[1])}</a>${j(t[2])}`:j(e)}function Vf(){return`<h2 id="exr-breakup-title">Break-up explorer</h2>
    <p class="muted">A break-up of an object of the catalogue you may see, drawn with the NASA Standard Breakup Model
      (Johnson et al. 2001): fragment sizes, area-to-mass ratios and delta-v from the model's distributions, each
      fragment's orbit from the parent's state at the epoch (its newest element set) plus its delta-v. ILLUSTRATIVE:
      a model's draw, not an observation; nothing is stored.</p>
    <form class="filters" id="exr-breakup-form" aria-label="Break-up">
      <label>NORAD id<input name="norad_id" type="number" min="1" max="339999" step="1" required placeholder="e.g. 40699"></label>
      <label>Kind<select name="kind"><option value="collision">collision (catastrophic)</option>
        <option value="explosion">explosion</option></select></label>
      <label>Mass (kg)<input name="mass_kg" type="number" min="0.001" max="1000000" step="any" required></label>
      <label>Smallest fragment (m)<input name="min_size_m" type="number" min="0.01" max="10" step="any" value="0.1"
        required></label>
      <label>Seed<input name="seed" type="number" min="0" max="2147483647" step="1" value="0" required></label>
      <button type="submit">Break it up</button>
    </form>
    <p id="exr-breakup-status" role="status" aria-live="polite" class="muted"></p>
    <div id="exr-breakup-result"></div>`}function Hf(e){let t=e.querySelector(`#exr-breakup-form`),n=e.querySelector(`#exr-breakup-status`),r=e.querySelector(`#exr-breakup-result`),i=null;r.addEventListener(`change`,e=>{e.target.id===`exr-gabbard-all`&&i&&(r.querySelector(`#exr-gabbard-box`).innerHTML=Kf(i.gabbard,e.target.checked))}),t.addEventListener(`submit`,async a=>{a.preventDefault();let o=t.elements,s={norad_id:Number(o.norad_id.value),kind:o.kind.value,mass_kg:Number(o.mass_kg.value),min_size_m:Number(o.min_size_m.value),seed:Number(o.seed.value),fragments:50},c=t.querySelector(`button`);c.disabled=!0,n.className=`muted`,n.textContent=`Drawing the fragments…`;try{let t=await y(`/api/v1/exercises/breakup`,{method:`POST`,body:s}),a=t.marking?[t.marking]:(await y(`/api/v1/objects/${s.norad_id}/elements`)).map(e=>e.marking);if(await D(e,a),!e.isConnected)return;r.innerHTML=Uf(t,a),i=t,n.textContent=``}catch(t){await D(e,[]).catch(()=>{}),i=null,r.replaceChildren(),n.className=`error`,n.textContent=`No break-up: ${t.message}`}finally{c.disabled=!1}})}function Uf(e,t){let n=e.summary,r=Object.entries(n.fates||{});return`<p class="exr-illustrative" id="exr-breakup-label" role="note"><strong>ILLUSTRATIVE</strong> —
      ${j(e.label)}</p>
    <p class="exr-marked">Derived from element sets marked ${t.map(Of).join(` `)}</p>
    <dl class="evidence" id="exr-breakup-summary">
      <dt>Object</dt><dd>${j(n.parent_name)} (NORAD ${j(n.parent_norad_id)}), ${j(n.object_class)}</dd>
      <dt>Event</dt><dd>${j(n.kind)}${n.catastrophic?` (catastrophic)`:``} at ${j(M(n.epoch_utc))}</dd>
      <dt>Mass</dt><dd>${$(n.mass_kg,1)} kg (${j(n.mass_source)}); fragments ${$(n.fragment_mass_kg,1)} kg</dd>
      <dt>Fragments ≥ ${$(n.min_size_m,2)} m</dt><dd id="exr-breakup-counts" data-expected="${j(n.expected_count)}"
        data-generated="${j(n.generated)}">model's expected count <strong>${$(n.expected_count,1)}</strong>,
        generated <strong>${$(n.generated)}</strong>${n.dropped_for_mass?` (${$(n.dropped_for_mass)} removed
        to keep within the mass)`:``}</dd>
      <dt>Fates</dt><dd id="exr-breakup-fates">${r.map(([e,t])=>`<span data-fate="${j(e)}">${j(e)}
        ${$(t)}</span>`).join(`; `)}</dd>
      ${n.notes?.length?`<dt>Notes</dt><dd>${n.notes.map(j).join(`<br>`)}</dd>`:``}
    </dl>
    <h3>Gabbard diagram</h3>
    <div id="exr-gabbard-box">${Kf(e.gabbard,!1)}</div>
    <h3>Fragments <span class="muted">(the first ${$(e.fragments.length)} of ${$(e.fragments_total)})</span></h3>
    <div class="exr-scroll"><table id="exr-fragments"><thead><tr><th scope="col" class="n">#</th>
      <th scope="col" class="n">Number (exercise)</th><th scope="col" class="n">Size (m)</th>
      <th scope="col" class="n">A/M (m²/kg)</th><th scope="col" class="n">Mass (kg)</th>
      <th scope="col" class="n">Δv (m/s)</th><th scope="col" class="n">Perigee (km)</th>
      <th scope="col" class="n">Apogee (km)</th><th scope="col" class="n">Period (min)</th><th scope="col">Fate</th>
    </tr></thead><tbody>${e.fragments.map((e,t)=>`<tr><td class="n">${t+1}</td>
      <td class="n">${j(e.norad_id??`-`)}</td><td class="n">${$(e.size_m,3)}</td>
      <td class="n">${$(e.area_to_mass_m2_kg,4)}</td><td class="n">${$(e.mass_kg,3)}</td>
      <td class="n">${$(e.delta_v_m_s,1)}</td><td class="n">${$(e.perigee_km,1)}</td>
      <td class="n">${$(e.apogee_km,1)}</td><td class="n">${$(e.period_min,2)}</td><td>${j(e.status)}</td></tr>`).join(``)}</tbody></table></div>`}function Wf(e,t,n=6){if(!(t>e))return[e];let r=(t-e)/n,i=10**Math.floor(Math.log10(r)),a=[1,2,5,10].map(e=>e*i).find(e=>e>=r),o=[];for(let n=Math.ceil(e/a)*a;n<=t+a*1e-9;n+=a)o.push(Number(n.toPrecision(12)));return o}function Gf(e,t){let n=e.slice().sort((e,t)=>e-t);return n[Math.min(n.length-1,Math.max(0,Math.ceil(t*n.length)-1))]}function Kf(e,t){let n=e.period_min.length;if(!n)return`<p class="muted" id="exr-gabbard-none">No fragment stays in orbit: nothing to draw.</p>`;let{width:r,height:i,left:a,right:o,top:s,bottom:c}=Ef,l=e.parent?{period:e.parent[0],apogee:e.parent[1],perigee:e.parent[2],name:e.parent[3]}:null,u=Math.max(t?Math.max(...e.period_min):Gf(e.period_min,.99),l?.period??-1/0),d=Math.max(t?Math.max(...e.apogee_km):Gf(e.apogee_km,.99),l?.apogee??-1/0),f=[];for(let t=0;t<n;t+=1)e.period_min[t]<=u&&e.apogee_km[t]<=d&&f.push(t);let p=[...f.map(t=>e.period_min[t]),...l?[l.period]:[]],[m,h]=[Math.min(...p),u],g=Math.max((h-m)*.03,.5);[m,h]=[m-g,h+g];let _=Math.min(...f.map(t=>e.perigee_km[t]),l?.perigee??1/0),[v,y]=[Math.min(0,_),d*1.05+1],b=e=>a+(e-m)/(h-m)*(r-a-o),x=e=>i-c-(e-v)/(y-v)*(i-s-c),S=(t,n)=>f.map(r=>`<circle class="${n}" data-k="${r}"
    cx="${b(e.period_min[r]).toFixed(1)}" cy="${x(t[r]).toFixed(1)}" r="2"></circle>`).join(``),C=Wf(m,h),w=Wf(v,y),T=l?[[l.apogee,`apogee`],[l.perigee,`perigee`]].map(([e,t])=>`<path class="parent" d="M ${b(l.period).toFixed(1)} ${(x(e)-7).toFixed(1)} l 2 5 5 0 -4 3 2 6 -5 -4
      -5 4 2 -6 -4 -3 5 0 z"><title>${j(l.name)} (${t}) before the break-up</title></path>`).join(``):``,E=n-f.length,D=E?`${$(E)} fragment(s) beyond the axes (periods up to ${$(Math.max(...e.period_min),1)} min, apogees up to ${$(Math.max(...e.apogee_km))} km) left out`:``;return`<figure class="exr-gabbard"><p class="filters"><label class="check"><input type="checkbox"
      id="exr-gabbard-all"${t?` checked`:``}> Whole range (every fragment)</label>
      <span class="muted" id="exr-gabbard-beyond">${t?``:j(D)}</span></p>
    <svg id="exr-gabbard" viewBox="0 0 ${r} ${i}" role="img" data-fragments="${n}"
      data-drawn="${f.length}" aria-label="Gabbard diagram: apogee and perigee altitude (km) against orbital
      period (min) of ${f.length} of the ${n} fragments in orbit">
    <rect x="${a}" y="${s}" width="${r-a-o}" height="${i-s-c}" class="frame"></rect>
    ${C.map(e=>`<line class="grid" x1="${b(e).toFixed(1)}" x2="${b(e).toFixed(1)}" y1="${s}"
      y2="${i-c}"></line><text class="tick" x="${b(e).toFixed(1)}" y="${i-c+16}"
      text-anchor="middle">${j($(e,qf(C)))}</text>`).join(``)}
    ${w.map(e=>`<line class="grid" x1="${a}" x2="${r-o}" y1="${x(e).toFixed(1)}"
      y2="${x(e).toFixed(1)}"></line><text class="tick" x="${a-6}" y="${(x(e)+4).toFixed(1)}"
      text-anchor="end">${j($(e,qf(w)))}</text>`).join(``)}
    <text class="axis" x="${(a+r-o)/2}" y="${i-6}" text-anchor="middle">Orbital period
      (min)</text>
    <text class="axis" transform="translate(14 ${(s+i-c)/2}) rotate(-90)" text-anchor="middle">
      Altitude (km)</text>
    ${S(e.apogee_km,`apogee`)}${S(e.perigee_km,`perigee`)}${T}
  </svg><figcaption class="legend"><span><i class="apogee"></i>apogee</span><span><i class="perigee"></i>perigee</span>
    <span>★ the parent before the break-up</span><span class="muted">${j(e.title)}</span></figcaption></figure>`}function qf(e){let t=e.length>1?Math.abs(e[1]-e[0]):1;return t>=1?0:Math.min(6,Math.ceil(-Math.log10(t)))}var Jf=[[/^#\/signin$/,te],[/^#\/globe$/,he],[/^#\/conjunctions$/,Se],[/^#\/conjunction\/([\w-]+)$/,Ta],[/^#\/tracks$/,Wc],[/^#\/track\/([\w-]+)$/,Gc],[/^#\/events$/,Fa],[/^#\/event\/([\w-]+)$/,La],[/^#\/respond\/([\w-]+)$/,il],[/^#\/object\/(\d+)$/,Va],[/^#\/objects$/,Ha],[/^#\/reports$/,Xa],[/^#\/fimi$/,ho],[/^#\/cyber$/,Bo],[/^#\/map$/,as],[/^#\/infra$/,Ns],[/^#\/maritime$/,Oc],[/^#\/fusion$/,xl],[/^#\/intel$/,Zl],[/^#\/warning$/,Nu],[/^#\/mobility$/,dd],[/^#\/forces(?:\/(rdc|rotations|civilian|planning))?$/,Zd],[/^#\/isac$/,mf],[/^#\/exercise$/,Af]],Yf=null,Xf=0;function Zf(){let e=document.querySelector(`nav`);if(e&&!e.querySelector(`a[href='#/exercise']`)){let t=Object.assign(document.createElement(`a`),{href:`#/exercise`,textContent:`Exercises`}),n=e.querySelector(`a[href='#/reports']`);n?n.before(t):e.append(t)}let t=document.getElementById(`who`);if(t&&!document.getElementById(`exercise-context`)){let e=document.createElement(`label`);e.className=`context`,e.innerHTML=`<span>Context</span><select id="exercise-context" aria-label="Work in the real world or in an
      exercise"><option value="">Real world</option></select>`,t.before(e),e.hidden=!0,e.querySelector(`select`).addEventListener(`change`,e=>{Qf(``),d(e.target.value||null),ep()})}if(!document.getElementById(`exercise-note`)){let e=Object.assign(document.createElement(`p`),{id:`exercise-note`,className:`exercise-note`,hidden:!0});e.setAttribute(`role`,`alert`),document.getElementById(`view`).before(e)}}function Qf(e){let t=document.getElementById(`exercise-note`);t.textContent=e,t.hidden=!e}var $f=!1;window.addEventListener(c,e=>{let{code:t,message:n}=e.detail;$f=!0,Qf(`You are back in the real world: the server refused the context of exercise ${t} (${n}). Nothing on this page is exercise data; choose an exercise your organisation takes part in to work in one again.`),ep()}),Zf();async function ep(){let e=document.getElementById(`view`),t=location.hash||`#/globe`;if(!r()&&t!==`#/signin`){location.hash=`#/signin`;return}let a=++Xf;Yf&&=(Yf(),null),$f?$f=!1:Qf(``),E();for(let e of document.querySelectorAll(`nav a`)){let n=t.split(`?`)[0],r=e.getAttribute(`href`);n===r||n.startsWith(`${r}/`)?e.setAttribute(`aria-current`,`page`):e.removeAttribute(`aria-current`)}let o=t.split(`?`)[0],s=Jf.find(([e])=>e.test(o));if(!s){e.replaceChildren(),location.hash=`#/globe`;return}let c=o.match(s[0]).slice(1),l=Object.assign(document.createElement(`p`),{className:`muted pending-note`,textContent:`Loading… (the content appears once its marking is known)`}),u=document.createElement(`div`);u.className=`view pending`,u.setAttribute(`aria-hidden`,`true`),e.replaceChildren(l,u);try{let e=await s[1](u,...c)||null;if(a!==Xf||(await D(u,[]),a!==Xf)){e?.();return}Yf=e,l.remove(),u.classList.remove(`pending`),u.removeAttribute(`aria-hidden`)}catch(e){if(a!==Xf)return;if(e instanceof n){i(),location.hash=`#/signin`;return}if(u.replaceChildren(),await D(u,[]).catch(()=>{}),a!==Xf)return;l.remove(),u.classList.remove(`pending`),u.removeAttribute(`aria-hidden`),u.innerHTML=`<p class="error" role="alert">Could not load this page: ${j(e.message)}</p>`}e.focus({preventScroll:!0}),a===Xf&&await tp().catch(e=>{e instanceof n&&a===Xf&&(i(),location.hash=`#/signin`)})}async function tp(){let e=document.getElementById(`who`),t=document.getElementById(`signout`),n=document.getElementById(`exercise-context`);if(!r()){e.textContent=``,t.hidden=!0,n.closest(`label`).hidden=!0;return}let[i,a]=await Promise.all([y(`/api/v1/whoami`),g()]);e.textContent=`${i.name} (${i.org}, cleared ${i.clearance.replace(`_`,` `)})`,t.hidden=!1;let o=u();o&&!a.some(e=>e.code===o)?(d(null),window.dispatchEvent(new CustomEvent(c,{detail:{code:o,message:`your organisation takes part in no exercise ${o}`}}))):(n.innerHTML=`<option value="">Real world</option>${a.map(e=>`<option value="${j(e.code)}"
    title="${j(e.title)}">Exercise ${j(e.code)}</option>`).join(``)}`,n.value=o||``,n.closest(`label`).hidden=!1)}document.getElementById(`signout`).addEventListener(`click`,()=>{i(),location.hash=`#/signin`}),window.addEventListener(`hashchange`,ep),ep();export{D as i,j as n,y as r,M as t};