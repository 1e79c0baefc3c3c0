// digihuman live chat page: plain JS, no build step. Protocol: see digihuman/server/live.py.
// Reply audio is scheduled on an AudioContext; reply video frames are drawn by that audio clock
// (reply start "base" = first chunk's arrival + LEAD), so lips follow the sound. Idle frames
// (listening) are drawn as they arrive.
"use strict";

const LEAD = 0.15; // s: default delay before a reply starts playing (reply_start.lead overrides)
const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const TOKEN = params.get("token") || sessionStorage.getItem("digihuman-token") || "";
sessionStorage.setItem("digihuman-token", TOKEN);

const state = {
  ws: null, actx: null, useAudioClock: true, clock0: 0,
  reply: null,          // {id, base, frames: [{t, bmp}], sources: [], ended, duration}
  idleFrame: null,      // latest idle ImageBitmap not yet drawn
  drawn: 0,             // frames drawn (tests read this)
  replyDrawn: 0,        // reply frames drawn
  bubble: null,         // the transcript element the current reply text goes into
  recorder: null,
  camera: null,         // {stream, timer} while the opt-in webcam is on
  userEmotion: null,    // the last fused user state (user_emotion message)
};
window.digihuman = state; // for debugging and the browser test

async function api(path, opts = {}) {
  opts.headers = Object.assign({ Authorization: "Bearer " + TOKEN }, opts.headers || {});
  const r = await fetch(path, opts);
  if (!r.ok) {
    let msg = r.status + " " + r.statusText;
    try { const j = await r.json(); msg = j.error ? j.error + (j.hint ? " (" + j.hint + ")" : "") : (j.detail || msg); } catch (e) {}
    throw new Error(msg);
  }
  return r;
}

// ---- setup -------------------------------------------------------------------------------------
async function loadPersonas(select) {
  const list = await (await api("/api/personas")).json();
  const sel = $("persona");
  sel.innerHTML = "";
  for (const p of list) {
    const o = document.createElement("option");
    o.value = p.name;
    o.textContent = p.name + (p.builtin ? " (built-in)" : "") + (p.voice_cloned ? " 🎙" : "");
    sel.appendChild(o);
  }
  if (select) sel.value = select;
  showThumb();
}

async function showThumb() {
  const name = $("persona").value;
  if (!name) return;
  try {
    const blob = await (await api(`/api/personas/${encodeURIComponent(name)}/photo?size=192`)).blob();
    $("thumb").src = URL.createObjectURL(blob);
  } catch (e) { $("thumb").removeAttribute("src"); }
}

$("persona").addEventListener("change", showThumb);

$("create-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const form = ev.target, msg = $("create-msg");
  const data = new FormData(form);
  if (!form.voice.files.length) data.delete("voice");
  if (!form.knowledge.files.length) data.delete("knowledge");
  msg.className = "msg"; msg.textContent = "analysing the photo...";
  try {
    const p = await (await api("/api/personas", { method: "POST", body: data })).json();
    msg.textContent = `created ${p.name}`;
    await loadPersonas(p.name);
  } catch (e) { msg.className = "msg error"; msg.textContent = e.message; }
});

$("start").addEventListener("click", () => {
  const user = $("user").value.trim();
  if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(user)) { alert("Your name: 1-64 letters, digits, _ . @ or -"); return; }
  // The AudioContext is made inside a click so browsers allow it to play.
  state.actx = new (window.AudioContext || window.webkitAudioContext)();
  state.actx.resume();
  checkAudioClock();
  connect($("persona").value, user);
});

// Headless or muted machines may leave the AudioContext suspended: then time comes from
// performance.now() (video still plays in real time, audio is silent).
function checkAudioClock() {
  const t0 = state.actx.currentTime;
  state.useAudioClock = true;
  setTimeout(() => {
    if (state.actx.state !== "running" || state.actx.currentTime <= t0) {
      state.useAudioClock = false;
      state.clock0 = performance.now() / 1000 - state.actx.currentTime;
    }
  }, 400);
}
function now() { return state.useAudioClock ? state.actx.currentTime : performance.now() / 1000 - state.clock0; }

// ---- live connection ---------------------------------------------------------------------------
function connect(persona, user) {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  const q = new URLSearchParams({ persona, user, token: TOKEN });
  const ws = new WebSocket(`${proto}//${location.host}/ws/live?${q}`);
  ws.binaryType = "arraybuffer";
  state.ws = ws;
  $("status").textContent = "connecting...";
  ws.onopen = () => { $("status").textContent = `talking with ${persona} as ${user}`; };
  ws.onclose = (ev) => { stopCamera(); $("status").textContent = `disconnected (${ev.code})`; };
  ws.onmessage = (ev) => (typeof ev.data === "string" ? onJson(JSON.parse(ev.data)) : onMedia(ev.data));
  $("setup").classList.add("hidden");
  $("chat").classList.remove("hidden");
  requestAnimationFrame(draw);
}

function onJson(m) {
  switch (m.type) {
    case "hello": break;
    case "busy": say("system", m.message, "error"); break;
    case "error": say("system", m.message + (m.hint ? ` (${m.hint})` : ""), "error"); break;
    case "transcript": say("you", m.text); break;
    case "reply_start":
      state.reply = { id: m.reply, base: null, frames: [], sources: [], ended: false, duration: null,
                      lead: m.lead || LEAD }; // the server asks for more lead when it is busy
      state.bubble = say("them", "");
      break;
    case "emotion": setEmotion(m.label); break;
    case "sentence": // the first unit says how much lead the server wants (its speed, its load)
      if (m.index === 0 && m.lead && state.reply && state.reply.id === m.reply) state.reply.lead = m.lead;
      break;
    case "text": if (state.reply && m.reply === state.reply.id) state.bubble.textContent += m.text; break;
    case "reply_end":
      if (state.reply && m.reply === state.reply.id) {
        state.reply.ended = true; state.reply.duration = m.duration;
        state.bubble.textContent = m.text;
        setEmotion(m.emotion.label);
      }
      break;
    case "interrupted": dropReply(m.reply); break;
    case "memories": showMemories(m.items); break;
    case "face": if (state.camera) showUserEmotion(m.label === "unknown" ? `face: ${m.reason}` : `face: ${m.label}`); break;
    case "user_emotion": state.userEmotion = m; showUserEmotion(m.label === "unknown" ? "you: ?" : `you: ${m.label}`, m); break;
  }
}

// Binary frame: u8 kind, u8 flags, u16 rate, u32 reply, f64 t (little-endian), then payload.
function onMedia(buf) {
  const dv = new DataView(buf);
  const kind = dv.getUint8(0), flags = dv.getUint8(1), rate = dv.getUint16(2, true);
  const reply = dv.getUint32(4, true), t = dv.getFloat64(8, true);
  if (kind === 1) playChunk(reply, rate, t, new Int16Array(buf, 16));
  else if (kind === 2) {
    const blob = new Blob([new Uint8Array(buf, 16)], { type: "image/jpeg" });
    createImageBitmap(blob).then((bmp) => {
      if (flags & 1) { if (state.idleFrame) state.idleFrame.close(); state.idleFrame = bmp; }
      else if (state.reply && state.reply.id === reply) state.reply.frames.push({ t, bmp });
      else bmp.close();
    });
  }
}

function playChunk(reply, rate, t, pcm) {
  const r = state.reply;
  if (!r || r.id !== reply) return;
  const ctx = state.actx;
  if (r.base === null) r.base = now() + r.lead;
  // A chunk that comes too late pushes the whole reply back (audio and video stay together).
  const late = now() + 0.02 - (r.base + t);
  if (late > 0) r.base += late;
  const f = new Float32Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) f[i] = pcm[i] / 32768;
  const ab = ctx.createBuffer(1, f.length, rate);
  ab.copyToChannel(f, 0);
  const src = ctx.createBufferSource();
  src.buffer = ab;
  src.connect(ctx.destination);
  if (state.useAudioClock) src.start(r.base + t);
  r.sources.push(src);
}

function dropReply(id) {
  const r = state.reply;
  if (!r || r.id !== id) return;
  for (const s of r.sources) { try { s.stop(); } catch (e) {} }
  for (const f of r.frames) f.bmp.close();
  state.reply = null;
}

const canvas = $("face"), g = canvas.getContext("2d");
function draw() {
  const r = state.reply;
  let drew = false;
  if (r && r.base !== null && now() >= r.base) {
    const t = now() - r.base;
    let pick = -1;
    for (let i = 0; i < r.frames.length && r.frames[i].t <= t; i++) pick = i;
    if (pick >= 0) {
      g.drawImage(r.frames[pick].bmp, 0, 0, canvas.width, canvas.height);
      state.drawn++; state.replyDrawn++; drew = true;
      for (const f of r.frames.splice(0, pick)) f.bmp.close(); // keep the one on screen
    }
    if (r.ended && r.duration !== null && t > r.duration + 0.1) { dropReply(r.id); }
  }
  const replyOwns = r && r.base !== null && now() >= r.base && r.frames.length > 0;
  if (!drew && !replyOwns && state.idleFrame) {
    g.drawImage(state.idleFrame, 0, 0, canvas.width, canvas.height);
    state.idleFrame.close(); state.idleFrame = null; state.drawn++;
  }
  requestAnimationFrame(draw);
}

// ---- transcript, emotion, memories -------------------------------------------------------------
function say(who, text, cls) {
  const div = document.createElement("div");
  div.className = "turn " + who + (cls ? " " + cls : "");
  const span = document.createElement("span");
  span.textContent = text;
  div.appendChild(span);
  $("transcript").appendChild(div);
  $("transcript").scrollTop = 1e9;
  return span;
}

function setEmotion(label) {
  const b = $("emotion");
  b.textContent = label;
  b.className = "badge " + label;
}

function showMemories(items) {
  const ul = $("memories");
  ul.innerHTML = "";
  if (!items.length) { const li = document.createElement("li"); li.textContent = "(nothing remembered yet)"; ul.appendChild(li); }
  for (const m of items) {
    const li = document.createElement("li");
    const span = document.createElement("span");
    span.textContent = m.display || m.text;
    span.title = `#${m.id}, ${m.created}` + (m.reason ? `\nbecause: ${m.reason}` : "");
    const b = document.createElement("button");
    b.textContent = "forget"; b.title = "forget this";
    b.onclick = () => state.ws.send(JSON.stringify({ type: "forget", id: m.id }));
    li.append(span, b);
    ul.appendChild(li);
  }
}

$("forget-all").onclick = () => {
  if (confirm("Forget everything the persona remembers about you?")) state.ws.send(JSON.stringify({ type: "forget", all: true }));
};

$("send-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const text = $("text").value.trim();
  if (!text || !state.ws || state.ws.readyState !== 1) return;
  if (state.reply) dropReply(state.reply.id); // interrupting: silence the old reply now
  say("you", text);
  state.ws.send(JSON.stringify({ type: "message", text }));
  $("text").value = "";
});

$("stop").onclick = () => { if (state.reply) { dropReply(state.reply.id); state.ws.send('{"type":"stop"}'); } };

// ---- microphone ----------------------------------------------------------------------------------
$("mic").onclick = async () => {
  const btn = $("mic");
  if (state.recorder) { state.recorder.stop(); return; }
  let stream;
  try { stream = await navigator.mediaDevices.getUserMedia({ audio: true }); }
  catch (e) { say("system", "microphone not available: " + e.message, "error"); return; }
  const chunks = [];
  const rec = new MediaRecorder(stream);
  rec.ondataavailable = (e) => chunks.push(e.data);
  rec.onstop = () => {
    stream.getTracks().forEach((t) => t.stop());
    btn.classList.remove("recording");
    state.recorder = null;
    const blob = new Blob(chunks, { type: rec.mimeType });
    const reader = new FileReader();
    reader.onload = () => {
      if (state.reply) dropReply(state.reply.id);
      const data = String(reader.result).split(",", 2)[1] || "";
      state.ws.send(JSON.stringify({ type: "audio", data, format: rec.mimeType }));
    };
    reader.readAsDataURL(blob);
  };
  rec.start();
  state.recorder = rec;
  btn.classList.add("recording");
  setTimeout(() => { if (state.recorder === rec) rec.stop(); }, 59000); // the server takes at most 60 s
};

// ---- camera (opt-in: off by default; a visible notice while on, EU AI Act Art. 50(3)) ------------
const CAM_PERIOD_MS = 400; // a frame every 0.4 s is enough for a smoothed expression
function showUserEmotion(text, m) {
  const b = $("user-emotion");
  b.textContent = text;
  b.className = "badge user " + (m && m.label ? m.label : "");
  if (m && m.sources) b.title = Object.entries(m.sources).map(([k, v]) => `${k}: ${v.label}${v.reason ? " (" + v.reason + ")" : ""}`).join(", ");
}
function stopCamera() {
  const c = state.camera;
  if (!c) return;
  clearInterval(c.timer);
  c.stream.getTracks().forEach((t) => t.stop());
  state.camera = null;
  $("cam").classList.remove("on");
  $("cam").setAttribute("aria-pressed", "false");
  $("cam-notice").classList.add("hidden");
  if (state.ws && state.ws.readyState === 1) state.ws.send(JSON.stringify({ type: "camera", on: false }));
}
$("cam").onclick = async () => {
  if (state.camera) { stopCamera(); return; }
  let stream;
  try { stream = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 } }); }
  catch (e) { say("system", "camera not available: " + e.message, "error"); return; }
  const video = $("cam-video");
  video.srcObject = stream;
  await video.play().catch(() => {});
  const canvas = document.createElement("canvas");
  canvas.width = 320; canvas.height = 240;
  const ctx = canvas.getContext("2d");
  const timer = setInterval(() => {
    if (!state.ws || state.ws.readyState !== 1 || !video.videoWidth) return;
    ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
    const data = canvas.toDataURL("image/jpeg", 0.7).split(",", 2)[1] || "";
    state.ws.send(JSON.stringify({ type: "frame", data }));
  }, CAM_PERIOD_MS);
  state.camera = { stream, timer };
  $("cam").classList.add("on");
  $("cam").setAttribute("aria-pressed", "true");
  $("cam-notice").classList.remove("hidden");
  $("user-emotion").classList.remove("hidden");
};

loadPersonas().catch((e) => { $("status").textContent = "cannot reach the server: " + e.message; });
