// The playground's browser side: it draws what Python computed and sends back what was clicked.
// No numbers are computed here but pixels: the network's geometry, colours and widths come in the
// Scene (nn/draw.py), the heatmaps and the decision surface as bytes (nn/playground/views.py).
// Loaded by anywidget from this file inside the package: nothing is fetched from the network.

const SVGNS = "http://www.w3.org/2000/svg";
const LRS = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 6, 10];
const BATCHES = [1, 5, 10, 20, 50, null];
const L2S = [0, 0.0001, 0.001, 0.01, 0.1];
const SPEEDS = [1, 2, 5, 10, 20];
const SURFACE = 280;

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== null && value !== undefined) node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

function s(tag, attrs = {}) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  return node;
}

function fmt(x) {
  if (x === null || x === undefined) return "–";
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e4 || a < 1e-3 ? x.toExponential(3) : x.toPrecision(4);
}

function select(values, current, label, onchange) {
  const node = h("select", { onchange: (event) => onchange(values[event.target.selectedIndex]) });
  values.forEach((value) => {
    const option = h("option", {}, label(value));
    if (value === current) option.selected = true;
    node.append(option);
  });
  return node;
}

function field(name, control) {
  return h("label", { class: "gs-pg-field" }, h("span", {}, name), control);
}

function bytesOf(view) {
  // anywidget hands a Bytes trait over as a DataView (or an ArrayBuffer)
  if (!view) return new Uint8Array(0);
  if (view instanceof DataView) return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  return new Uint8Array(view.buffer || view);
}

function render({ model, el }) {
  const send = (message) => model.send(message);
  const root = h("div", { class: "gs-pg gs-pg-live" });
  el.append(root);
  const state = { playing: false, mode: "add", label: 0, sample: 0, times: [], epochsAt: [] };

  // --- the bar: presets, controls, epoch count and speed ---------------------------------------
  const presetSelect = h("select", {
    class: "gs-pg-preset",
    onchange: (event) => { if (event.target.value) send({ action: "preset", name: event.target.value }); },
  }, h("option", { value: "" }, "the course's experiments…"));
  for (const p of model.get("options").presets) presetSelect.append(h("option", { value: p.name }, p.title));
  const play = h("button", { class: "gs-pg-play", title: "play / pause", onclick: () => togglePlay() }, "▶ play");
  const stepButton = h("button", { class: "gs-pg-step", onclick: () => send({ action: "step" }) }, "step");
  const epochButton = h("button", { class: "gs-pg-epoch", onclick: () => send({ action: "epoch" }) }, "epoch");
  const resetButton = h("button", { class: "gs-pg-reset", onclick: () => send({ action: "reset" }) }, "reset");
  const counter = h("span", { class: "gs-pg-counter" });
  const speed = h("span", { class: "gs-pg-speed" });
  const perUpdate = select(SPEEDS, model.get("epochs_per_update"), (v) => `${v} epoch${v > 1 ? "s" : ""} per update`,
    (v) => { model.set("epochs_per_update", v); model.save_changes(); });
  root.append(h("div", { class: "gs-pg-bar" }, play, stepButton, epochButton, resetButton, perUpdate,
    counter, speed, presetSelect));
  const message = h("div", { class: "gs-pg-message" });
  const status = h("div", { class: "gs-pg-status" });
  root.append(message, status);

  // --- the three columns: controls, network, data and loss ---------------------------------------
  const controls = h("div", { class: "gs-pg-controls" });
  const network = h("div", { class: "gs-pg-network" });
  const right = h("div", { class: "gs-pg-right" });
  const chainPanel = h("div", { class: "gs-pg-chain" });
  root.append(h("div", { class: "gs-pg-body" }, controls, network, right), chainPanel);
  const tooltip = h("div", { class: "gs-pg-tooltip" });
  root.append(tooltip);

  const surfaceCanvas = h("canvas", { class: "gs-pg-surface", width: SURFACE, height: SURFACE });
  const small = h("canvas", { width: 1, height: 1 });
  const modeAdd = h("input", { type: "radio", name: `mode${Math.random()}`, checked: "" });
  const modeSample = h("input", { type: "radio", name: modeAdd.name });
  modeAdd.addEventListener("change", () => { state.mode = "add"; });
  modeSample.addEventListener("change", () => { state.mode = "sample"; });
  const classChoice = h("span", { class: "gs-pg-classes" });
  const lossNumbers = h("div", { class: "gs-pg-numbers" });
  const chart = s("svg", { class: "gs-pg-chart", width: SURFACE, height: 130 });
  const sweepChart = h("div", { class: "gs-pg-sweep" });
  right.append(h("div", { class: "gs-pg-title" }, "the data and the decision surface"), surfaceCanvas,
    h("div", { class: "gs-pg-mode" }, h("label", {}, modeAdd, " click adds a point of class "), classChoice),
    h("div", { class: "gs-pg-mode" }, h("label", {}, modeSample, " click picks the sample for the chain rule")),
    h("div", { class: "gs-pg-title" }, "loss by epoch"), chart, lossNumbers, sweepChart);
  surfaceCanvas.addEventListener("click", (event) => clickSurface(event));

  function togglePlay(force) {
    state.playing = force === undefined ? !state.playing : force;
    play.textContent = state.playing ? "❚❚ pause" : "▶ play";
    send({ action: state.playing ? "play" : "pause" });
    if (state.playing) send({ action: "tick" });
  }

  // --- controls -----------------------------------------------------------------------------------
  function set(changes) { send({ action: "set", changes }); }

  function drawControls() {
    const o = model.get("options"), st = model.get("settings");
    if (!st || !st.hidden) return;
    controls.replaceChildren();
    const data = h("fieldset", {}, h("legend", {}, "Data"));
    data.append(field("data set", select(o.datasets.filter((d) => d !== "own" || st.dataset === "own"), st.dataset,
      (v) => v, (v) => set({ dataset: v }))));
    data.append(field("samples", select([50, 100, 200, 300, 500], st.samples, String, (v) => set({ samples: v }))));
    data.append(field("noise", select([0, 0.05, 0.1, 0.2, 0.3, 0.5], st.noise, String, (v) => set({ noise: v }))));
    data.append(field("test share", select([0, 0.1, 0.2, 0.3, 0.5], st.test_fraction, (v) => `${v * 100}%`,
      (v) => set({ test_fraction: v }))));
    if (st.dataset === "spirals" || st.dataset === "blobs")
      data.append(field("classes K", select([2, 3, 4, 5], st.classes, String, (v) => set({ classes: v }))));
    data.append(field("data seed", select([0, 1, 2, 3, 4], st.data_seed, String, (v) => set({ data_seed: v }))));
    const net = h("fieldset", {}, h("legend", {}, "Model"));
    st.hidden.forEach((width, i) => {
      const minus = h("button", { onclick: () => set({ hidden: st.hidden.map((w, k) => (k === i ? Math.max(1, w - 1) : w)) }) }, "−");
      const plus = h("button", { onclick: () => set({ hidden: st.hidden.map((w, k) => (k === i ? Math.min(32, w + 1) : w)) }) }, "+");
      const act = select(o.activations, st.activations[i], String,
        (v) => set({ activations: st.activations.map((a, k) => (k === i ? v : a)) }));
      net.append(h("div", { class: "gs-pg-layer" }, h("span", {}, `layer ${i + 1}`), minus, h("b", {}, String(width)), plus, act));
    });
    net.append(h("div", { class: "gs-pg-layer" },
      h("button", { class: "gs-pg-add-layer", onclick: () => set({ hidden: [...st.hidden, 4], activations: [...st.activations, st.activations.at(-1) || "tanh"] }) }, "+ layer"),
      h("button", { onclick: () => set({ hidden: st.hidden.slice(0, -1), activations: st.activations.slice(0, -1) }) }, "− layer")));
    net.append(field("task", select(o.tasks, st.task, String, (v) => set({ task: v }))));
    net.append(field("seed", select([0, 1, 2, 3, 4, 5, 6, 7], st.seed, String, (v) => set({ seed: v }))));
    const train = h("fieldset", {}, h("legend", {}, "Training"));
    train.append(field("optimizer", select(o.optimizers, st.optimizer, String, (v) => set({ optimizer: v }))));
    train.append(field("learning rate", select(LRS.includes(st.lr) ? LRS : [...LRS, st.lr].sort((a, b) => a - b), st.lr, String, (v) => set({ lr: v }))));
    train.append(field("batch size", select(BATCHES, st.batch_size, (v) => (v === null ? "all" : String(v)), (v) => set({ batch_size: v }))));
    train.append(field("L2", select(L2S.includes(st.l2) ? L2S : [...L2S, st.l2], st.l2, String, (v) => set({ l2: v }))));
    const out = h("fieldset", {}, h("legend", {}, "Export"));
    const code = h("pre", { class: "gs-pg-code" });
    out.append(h("div", {},
      h("button", { onclick: () => send({ action: "export", kind: "code" }) }, "code"),
      h("button", { onclick: () => send({ action: "export", kind: "model" }) }, "model file"),
      h("button", { onclick: () => send({ action: "export", kind: "state" }) }, "state")), code);
    controls.append(data, net, train, out);
    const classes = new Set(model.get("points").map((p) => p[2]));
    classChoice.replaceChildren(select([...classes].sort(), state.label, String, (v) => { state.label = v; }));
  }

  // --- the network: edges from the Scene, each neuron's heatmap inside its circle ----------------
  const heatCanvas = h("canvas", { width: 1, height: 1 });
  function neuronPicture(bytes, k, size, palette) {
    heatCanvas.width = heatCanvas.height = size;
    const ctx = heatCanvas.getContext("2d");
    const image = ctx.createImageData(size, size);
    const offset = k * size * size;
    for (let p = 0; p < size * size; p++) {
      const c = palette[bytes[offset + p]];
      image.data.set([c[0], c[1], c[2], 255], 4 * p);
    }
    ctx.putImageData(image, 0, 0);
    return heatCanvas.toDataURL();
  }

  // Built once per architecture; each frame only changes colours, widths and pictures.
  const net = { key: null };
  function buildNetwork(scene) {
    const svg = s("svg", { viewBox: `0 0 ${scene.width} ${scene.height}`, class: "gs-pg-net" });
    svg.style.maxWidth = `${scene.width}px`;
    const defs = s("defs");
    svg.append(defs);
    net.lines = scene.edges.map((edge, e) => {
      const line = s("line", { x1: edge.x1, y1: edge.y1, x2: edge.x2, y2: edge.y2, "stroke-opacity": 0.8, class: "gs-pg-edge" });
      const hit = s("line", { x1: edge.x1, y1: edge.y1, x2: edge.x2, y2: edge.y2, stroke: "transparent",
        "stroke-width": 9, class: "gs-pg-hit", "data-name": edge.name });
      hit.addEventListener("mousemove", (event) => showTip(event, edgeTip(model.get("scene").edges[e]), line));
      hit.addEventListener("mouseleave", () => hideTip(line));
      hit.addEventListener("click", () => openChain(edge.layer, edge.j, edge.i));
      svg.append(line, hit);
      return line;
    });
    net.pictures = [];
    net.rings = scene.nodes.map((node, n) => {
      const group = s("g", { class: node.layer ? "gs-pg-neuron" : "gs-pg-input", "data-layer": node.layer, "data-index": node.index });
      if (node.layer > 0) {
        const id = `gs-clip-${Math.random().toString(36).slice(2)}`;
        const clip = s("clipPath", { id });
        clip.append(s("circle", { cx: node.x, cy: node.y, r: node.r }));
        defs.append(clip);
        const picture = s("image", { x: node.x - node.r, y: node.y - node.r, width: 2 * node.r, height: 2 * node.r,
          "clip-path": `url(#${id})`, preserveAspectRatio: "none", class: "gs-pg-heatmap" });
        net.pictures.push(picture);
        group.append(picture);
      }
      const ring = s("circle", { cx: node.x, cy: node.y, r: node.r, fill: node.layer ? "none" : "#f9fafb" });
      group.append(ring);
      if (!node.layer) {
        const label = s("text", { x: node.x, y: node.y + 4, "text-anchor": "middle", "font-size": 11 });
        label.textContent = node.label;
        group.append(label);
      } else {
        group.addEventListener("mousemove", (event) => showTip(event, nodeTip(model.get("scene").nodes[n])));
        group.addEventListener("mouseleave", () => hideTip());
        group.addEventListener("click", () => openChain(node.layer, node.index, null));
      }
      svg.append(group);
      return ring;
    });
    scene.activations.forEach((name, i) => {
      const column = scene.nodes.find((node) => node.layer === i + 1);
      const text = s("text", { x: column.x, y: scene.height - 8, "text-anchor": "middle", "font-size": 11, fill: "#4b5563" });
      text.textContent = name;
      svg.append(text);
    });
    network.replaceChildren(h("div", { class: "gs-pg-title" },
      "the network: colour = sign of w, width = |w|; in each neuron, its activation over the plane"), svg,
      h("div", { class: "gs-pg-hint" }, "hover over a weight for its value, gradient and next step; click a neuron or a weight for its chain rule"));
  }

  function drawNetwork() {
    const scene = model.get("scene"), grid = model.get("grid");
    if (!scene || !scene.nodes) return;
    const key = JSON.stringify([scene.width, scene.height, scene.activations, scene.nodes.length, scene.edges.length]);
    if (key !== net.key) { buildNetwork(scene); net.key = key; }
    scene.edges.forEach((edge, e) => {
      net.lines[e].setAttribute("stroke", edge.colour);
      net.lines[e].setAttribute("stroke-width", edge.width);
    });
    const bytes = bytesOf(model.get("heatmaps")), palette = model.get("options").palette;
    net.pictures.forEach((picture, k) => picture.setAttribute("href", neuronPicture(bytes, k, grid.size, palette)));
    const chain = model.get("chain");
    scene.nodes.forEach((node, n) => {
      const chosen = chain && chain.open && chain.layer === node.layer && chain.index === node.index;
      net.rings[n].setAttribute("stroke", chosen ? "#111827" : "#374151");
      net.rings[n].setAttribute("stroke-width", chosen ? 3.5 : 1.2);
    });
  }

  function edgeTip(edge) {
    const st = model.get("settings");
    return `<b>${edge.name}</b><br>w = ${fmt(edge.weight)}<br>∂L/∂w = ${fmt(edge.grad)} <i>(next batch)</i>` +
      `<br>next step Δw = ${fmt(edge.step)} <i>(${st.optimizer}, lr ${st.lr})</i>`;
  }

  function nodeTip(node) {
    return `<b>${node.label}</b> (${node.name.replace(/\.b$/, "")})<br>b = ${fmt(node.bias)}` +
      `<br>∂L/∂b = ${fmt(node.grad)}<br>next step Δb = ${fmt(node.step)}<br><i>click: its chain rule</i>`;
  }

  function showTip(event, html, line) {
    tooltip.innerHTML = html;
    tooltip.style.display = "block";
    const box = root.getBoundingClientRect();
    tooltip.style.left = `${event.clientX - box.left + 14}px`;
    tooltip.style.top = `${event.clientY - box.top + 10}px`;
    if (line) line.setAttribute("stroke-opacity", 1), line.classList.add("gs-pg-hover");
  }

  function hideTip(line) {
    tooltip.style.display = "none";
    if (line) line.setAttribute("stroke-opacity", 0.8), line.classList.remove("gs-pg-hover");
  }

  // --- the decision surface and the points ---------------------------------------------------------
  function drawSurface() {
    const grid = model.get("grid");
    if (!grid.size) return;
    const rgb = bytesOf(model.get("surface"));
    small.width = small.height = grid.size;
    const sctx = small.getContext("2d");
    const image = sctx.createImageData(grid.size, grid.size);
    for (let p = 0; p < grid.size * grid.size; p++) image.data.set([rgb[3 * p], rgb[3 * p + 1], rgb[3 * p + 2], 255], 4 * p);
    sctx.putImageData(image, 0, 0);
    const ctx = surfaceCanvas.getContext("2d");
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(small, 0, 0, SURFACE, SURFACE);
    const colours = model.get("options").classes;
    const chain = model.get("chain");
    for (const [a, b, label, test] of model.get("points")) {
      const [x, y] = toPixels(a, b);
      ctx.beginPath();
      ctx.arc(x, y, 3.4, 0, 2 * Math.PI);
      ctx.fillStyle = Number.isInteger(label) ? colours[label % colours.length] : "#111827";
      ctx.fill();
      ctx.lineWidth = test ? 1.6 : 1;
      ctx.strokeStyle = test ? "#111827" : "white";
      ctx.stroke();
    }
    if (chain && chain.open) {
      const [x, y] = toPixels(...chain.point);
      ctx.beginPath();
      ctx.arc(x, y, 8, 0, 2 * Math.PI);
      ctx.lineWidth = 2.5;
      ctx.strokeStyle = "#111827";
      ctx.stroke();
    }
  }

  function toPixels(a, b) {
    const [x0, x1, y0, y1] = model.get("grid").extent;
    return [(a - x0) / (x1 - x0) * SURFACE, (y1 - b) / (y1 - y0) * SURFACE];
  }

  function clickSurface(event) {
    const box = surfaceCanvas.getBoundingClientRect();
    const px = (event.clientX - box.left) * SURFACE / box.width, py = (event.clientY - box.top) * SURFACE / box.height;
    const [x0, x1, y0, y1] = model.get("grid").extent;
    const a = x0 + px / SURFACE * (x1 - x0), b = y1 - py / SURFACE * (y1 - y0);
    if (state.mode === "add") { send({ action: "add_point", x: a, y: b, label: state.label }); return; }
    let best = 0, distance = Infinity;
    model.get("points").forEach(([pa, pb, , test], i) => {
      const d = (pa - a) ** 2 + (pb - b) ** 2;
      if (!test && d < distance) { best = i; distance = d; }
    });
    state.sample = best;
    const chain = model.get("chain");
    if (chain && chain.open) openChain(chain.layer, chain.index, chain.weight);
  }

  // --- the loss curves, the numbers, the speed -------------------------------------------------
  function drawChart() {
    const history = model.get("history"), curves = [["loss", "#111827"], ["val_loss", "#db2777"]];
    chart.replaceChildren(s("rect", { x: 0.5, y: 0.5, width: SURFACE - 1, height: 129, fill: "none", stroke: "#d1d5db" }));
    const all = curves.flatMap(([key]) => history[key] || []).filter(Number.isFinite);
    if (!all.length) return;
    const log = all.every((v) => v > 0);
    const t = (v) => (log ? Math.log10(v) : v);
    const low = Math.min(...all.map(t)), high = Math.max(...all.map(t)), span = high - low || 1;
    for (const [key, colour] of curves) {
      const values = history[key] || [];
      const step = (SURFACE - 10) / Math.max(1, values.length - 1);
      const points = values.map((v, i) => `${5 + i * step},${125 - (t(Number.isFinite(v) ? v : high) - low) / span * 115}`).join(" ");
      chart.append(s("polyline", { points, fill: "none", stroke: colour, "stroke-width": 1.6, class: `gs-pg-curve-${key}` }));
    }
    const scale = s("text", { x: SURFACE - 6, y: 14, "text-anchor": "end", "font-size": 10, fill: "#6b7280" });
    scale.textContent = log ? "log scale" : "";
    chart.append(scale);
  }

  function drawNumbers() {
    const history = model.get("history"), last = (k) => (history[k] && history[k].length ? history[k].at(-1) : null);
    lossNumbers.replaceChildren();
    lossNumbers.append(h("span", { class: "gs-pg-train-loss" }, `training loss ${fmt(last("loss"))}`),
      h("span", { class: "gs-pg-test-loss" }, ` · test loss ${fmt(last("val_loss"))}`));
    if (last("accuracy") !== null)
      lossNumbers.append(h("span", {}, ` · accuracy ${fmt(last("accuracy"))} / ${fmt(last("val_accuracy"))}`));
    const now = performance.now(), epochs = model.get("epochs");
    state.times.push(now);
    state.epochsAt.push(epochs);
    while (state.times.length > 2 && now - state.times[0] > 2000) { state.times.shift(); state.epochsAt.shift(); }
    const seconds = (now - state.times[0]) / 1000;
    const updates = seconds > 0 ? (state.times.length - 1) / seconds : 0;
    const perSecond = seconds > 0 ? (epochs - state.epochsAt[0]) / seconds : 0;
    counter.textContent = `epoch ${epochs}` + (model.get("steps") ? ` · step ${model.get("steps")}` : "");
    speed.textContent = state.playing ? `${perSecond.toFixed(1)} epochs/s · ${updates.toFixed(1)} updates/s · Python ${model.get("python_ms").toFixed(0)} ms` : "";
    counter.dataset.loss = last("loss") === null ? "" : String(last("loss"));
    const sweep = model.get("sweep");
    sweepChart.replaceChildren();
    if (sweep && sweep.length) {
      const svg = s("svg", { width: SURFACE, height: 90 });
      const top = Math.max(...sweep.map((r) => r.error), 0.01);
      sweep.forEach((r, i) => {
        const w = (SURFACE - 20) / sweep.length, barHeight = r.error / top * 60;
        svg.append(s("rect", { x: 10 + i * w + 3, y: 70 - barHeight, width: w - 6, height: barHeight, fill: "#6b7280" }));
        const label = s("text", { x: 10 + i * w + w / 2, y: 84, "text-anchor": "middle", "font-size": 10 });
        label.textContent = `H=${r.width}: ${(100 * r.error).toFixed(0)}%`;
        svg.append(label);
      });
      sweepChart.append(h("div", { class: "gs-pg-title" }, "training error against width H"), svg);
    }
  }

  // --- down to the chain rule ------------------------------------------------------------------------
  function openChain(layer, index, weight) {
    send({ action: "chain", layer, index, sample: state.sample, weight });
    chainPanel.classList.add("gs-pg-waiting");
  }

  function drawChain() {
    const c = model.get("chain");
    chainPanel.classList.remove("gs-pg-waiting");
    if (!c || !c.open) { chainPanel.replaceChildren(); chainPanel.style.display = "none"; return; }
    chainPanel.style.display = "block";
    state.sample = c.sample;
    const slider = h("input", { type: "range", min: 0, max: c.total - 1, value: c.step, class: "gs-pg-chain-slider" });
    slider.addEventListener("input", () => send({ action: "chain_step", step: Number(slider.value) }));
    const sampleBox = h("input", { type: "number", min: 0, max: c.samples - 1, value: c.sample, class: "gs-pg-sample" });
    sampleBox.addEventListener("change", () => { state.sample = Number(sampleBox.value); openChain(c.layer, c.index, c.weight); });
    const picture = h("div", { class: "gs-pg-graph" });
    picture.innerHTML = c.svg.slice(c.svg.indexOf("<svg"));
    const table = h("table", { class: "gs-pg-rows" }, h("tr", {}, h("th", {}, ""), h("th", {}, "input"), h("th", {}, "weight"), h("th", {}, "∂l/∂weight so far")));
    c.rows.forEach((row, i) => table.append(h("tr", { class: i === c.weight ? "gs-pg-chosen" : "" },
      h("td", {}, row.name), h("td", {}, fmt(row.input)), h("td", {}, fmt(row.weight)), h("td", {}, fmt(row.grad)))));
    const name = c.layer === model.get("scene").activations.length ? "output neuron" : `neuron ${c.index + 1} of layer ${c.layer}`;
    chainPanel.replaceChildren(
      h("div", { class: "gs-pg-chain-head" },
        h("b", {}, `The chain rule at ${name}`), " for training sample ", sampleBox,
        ` of ${c.samples} (x = (${fmt(c.point[0])}, ${fmt(c.point[1])}), label ${c.label}; circled on the surface)`,
        h("button", { class: "gs-pg-close", onclick: () => send({ action: "chain_close" }) }, "close")),
      h("div", { class: "gs-pg-chain-text" },
        `This neuron's activation for the sample: a = ${fmt(c.activation)} (its heatmap there); the sample's loss l = ${fmt(c.loss)}. ` +
        `The backward pass starts from ${c.start}; each edge shows upstream grad × local derivative = its contribution.`),
      h("div", { class: "gs-pg-chain-step" }, slider, h("span", { class: "gs-pg-caption" }, c.caption)),
      h("div", { class: "gs-pg-chain-body" }, picture, table));
  }

  // --- downloads ----------------------------------------------------------------------------------
  function download() {
    const e = model.get("export");
    if (!e || !e.text) return;
    const blob = new Blob([e.text], { type: e.kind === "code" ? "text/x-python" : "application/json" });
    const link = h("a", { href: URL.createObjectURL(blob), download: e.name });
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    const code = controls.querySelector(".gs-pg-code");
    if (code && e.kind === "code") code.textContent = e.text;
  }

  function drawAll() {
    drawControls();
    drawNetwork();
    drawSurface();
    drawChart();
    drawNumbers();
    drawChain();
    message.textContent = model.get("message");
    status.textContent = model.get("status");
  }

  model.on("change:frame", () => {
    // While playing, ask for the next update first: Python computes it while this one is drawn.
    if (state.playing && model.get("playing")) send({ action: "tick" });
    else if (state.playing && !model.get("playing")) togglePlay(false);
    drawNetwork();
    drawSurface();
    drawChart();
    drawNumbers();
    status.textContent = model.get("status");
  });
  model.on("change:settings", drawControls);
  model.on("change:points", () => { drawControls(); drawSurface(); });
  model.on("change:chain", () => { drawChain(); drawNetwork(); drawSurface(); });
  model.on("change:message", () => { message.textContent = model.get("message"); });
  model.on("change:status", () => { status.textContent = model.get("status"); });
  model.on("change:playing", () => { if (!model.get("playing") && state.playing) togglePlay(false); });
  model.on("change:export", download);
  model.on("change:sweep", drawNumbers);
  drawAll();
  return () => { state.playing = false; };
}

export default { render };
