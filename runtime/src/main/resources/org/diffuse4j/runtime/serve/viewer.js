// The diffuse4j run viewer: sort and filter the run list, draw interactive SVG charts, poll for live runs.
(function () {
  "use strict";
  const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
  const POLL_MS = 2000;
  const data = JSON.parse(document.getElementById("page-data").textContent || "{}");
  const page = document.body.dataset.page;
  const SVG = "http://www.w3.org/2000/svg";

  function el(name, attrs, parent) {
    const e = document.createElementNS(SVG, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }

  function fmt(v) {
    const a = Math.abs(v);
    if (v === 0) return "0";
    if (a >= 1e5 || a < 1e-3) return v.toExponential(1).replace("e+", "e");
    return String(+v.toPrecision(4));
  }

  function niceTicks(lo, hi, n) {
    const raw = (hi - lo) / n, p = Math.pow(10, Math.floor(Math.log10(raw))), m = raw / p;
    const step = (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p, out = [];
    for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(+t.toPrecision(12));
    return out;
  }

  function logTicks(lo, hi) {
    const out = [], decades = Math.log10(hi / lo);
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      for (const m of decades < 1 ? [1, 2, 3, 4, 5, 6, 7, 8, 9] : [1, 2, 5]) {
        const t = m * Math.pow(10, e);
        if (t >= lo && t <= hi) out.push(t);
      }
    }
    return out;
  }

  /** A line chart in `host`: series [{name, points: [[x, y]], dashed}], shared zoom and log state. */
  function Chart(host, title, yLabel, state) {
    this.host = host; this.title = title; this.yLabel = yLabel; this.state = state; this.series = [];
  }
  Chart.prototype.set = function (series) { this.series = series; this.draw(); };
  Chart.prototype.draw = function () {
    const longest = Math.max(0, ...this.series.map(s => s.name.length));
    const W = Math.max(480, Math.min(1100, this.host.clientWidth || 900)), H = 300, L = 70, T = 28, B = 40;
    const R = Math.min(W / 2, 56 + 7 * longest); // room for the legend
    this.host.innerHTML = "";
    const svg = el("svg", {width: W, height: H, viewBox: "0 0 " + W + " " + H, "data-title": this.title}, this.host);
    el("text", {x: L, y: 18, "font-weight": "bold", "font-size": 14}, svg).textContent = this.title;
    const pts = [].concat(...this.series.map(s => s.points));
    if (pts.length === 0) {
      el("text", {x: L + 10, y: T + 30, "font-size": 13, fill: "#888", class: "no-data"}, svg).textContent = "no data yet";
      return;
    }
    let x0 = Math.min(...pts.map(p => p[0])), x1 = Math.max(...pts.map(p => p[0]));
    if (this.state.zoom) { x0 = this.state.zoom[0]; x1 = this.state.zoom[1]; }
    if (x1 <= x0) { x1 = x0 + 1; }
    const visible = pts.filter(p => p[0] >= x0 && p[0] <= x1 && isFinite(p[1]));
    const log = this.state.log && visible.every(p => p[1] > 0);
    let y0 = Math.min(...visible.map(p => p[1])), y1 = Math.max(...visible.map(p => p[1]));
    if (!(y1 > y0)) { y0 = log ? y0 / 2 : y0 - 1; y1 = log ? y1 * 2 : y1 + 1; }
    const fy = log ? v => (Math.log(v) - Math.log(y0)) / (Math.log(y1) - Math.log(y0)) : v => (v - y0) / (y1 - y0);
    const px = x => L + (x - x0) / (x1 - x0) * (W - L - R), py = y => H - B - fy(y) * (H - T - B);
    for (const t of niceTicks(x0, x1, 8)) {
      el("line", {x1: px(t), x2: px(t), y1: T, y2: H - B, stroke: "#eee"}, svg);
      el("text", {x: px(t), y: H - B + 16, "font-size": 11, "text-anchor": "middle", class: "xtick"}, svg).textContent = fmt(t);
    }
    let yTicks = log ? logTicks(y0, y1) : niceTicks(y0, y1, 5);
    if (log && yTicks.length < 3) yTicks = niceTicks(y0, y1, 5).filter(v => v > 0); // a narrow range: round values
    for (const t of yTicks) {
      el("line", {x1: L, x2: W - R, y1: py(t), y2: py(t), stroke: "#eee"}, svg);
      el("text", {x: L - 6, y: py(t) + 4, "font-size": 11, "text-anchor": "end", class: "ytick"}, svg).textContent = fmt(t);
    }
    el("rect", {x: L, y: T, width: W - L - R, height: H - T - B, fill: "none", stroke: "#aaa"}, svg);
    el("text", {x: (L + W - R) / 2, y: H - 6, "font-size": 12, "text-anchor": "middle"}, svg).textContent = "step";
    const yl = el("text", {x: 14, y: (T + H - B) / 2, "font-size": 12, "text-anchor": "middle",
      transform: "rotate(-90 14 " + (T + H - B) / 2 + ")"}, svg);
    yl.textContent = this.yLabel + (log ? " (log scale)" : "");
    const clip = "clip" + Math.random().toString(36).slice(2);
    el("rect", {x: L, y: T, width: W - L - R, height: H - T - B}, el("clipPath", {id: clip}, el("defs", {}, svg)));
    this.series.forEach((s, i) => {
      const colour = PALETTE[(s.colour == null ? i : s.colour) % PALETTE.length];
      const d = s.points.filter(p => isFinite(p[1]) && (!log || p[1] > 0)).map(p => px(p[0]).toFixed(1) + "," + py(p[1]).toFixed(1));
      el("polyline", {points: d.join(" "), fill: "none", stroke: colour, "stroke-width": s.points.length > 200 ? 1.2 : 2,
        "stroke-dasharray": s.dashed ? "6 4" : "", "clip-path": "url(#" + clip + ")", class: "series", "data-name": s.name}, svg);
      if (s.points.length <= 40) {
        s.points.filter(p => p[0] >= x0 && p[0] <= x1 && isFinite(p[1])).forEach(p =>
          el("circle", {cx: px(p[0]), cy: py(p[1]), r: 3, fill: colour}, svg));
      }
      el("line", {x1: W - R + 12, x2: W - R + 34, y1: T + 12 + 18 * i, y2: T + 12 + 18 * i, stroke: colour, "stroke-width": 2,
        "stroke-dasharray": s.dashed ? "6 4" : ""}, svg);
      el("text", {x: W - R + 40, y: T + 16 + 18 * i, "font-size": 12, class: "legend"}, svg).textContent = s.name;
    });
    // drag to zoom on x
    const band = el("rect", {x: 0, y: T, width: 0, height: H - T - B, fill: "rgba(31,119,180,0.15)", visibility: "hidden"}, svg);
    let start = null;
    const toX = e => { const r = svg.getBoundingClientRect(); return (e.clientX - r.left) * W / r.width; };
    svg.addEventListener("mousedown", e => { start = toX(e); band.setAttribute("visibility", "visible"); });
    svg.addEventListener("mousemove", e => {
      if (start === null) return;
      const x = toX(e);
      band.setAttribute("x", Math.min(x, start)); band.setAttribute("width", Math.abs(x - start));
    });
    svg.addEventListener("mouseup", e => {
      if (start === null) return;
      const a = Math.min(start, toX(e)), b = Math.max(start, toX(e));
      start = null;
      if (b - a > 5) {
        const ix = p => x0 + (p - L) / (W - L - R) * (x1 - x0);
        this.state.zoom = [ix(Math.max(a, L)), ix(Math.min(b, W - R))];
        this.state.redraw();
      } else band.setAttribute("visibility", "hidden");
    });
    svg.addEventListener("dblclick", () => { this.state.zoom = null; this.state.redraw(); });
  };

  function curves(name, d, colour) {
    const loss = [], lr = [], grad = [];
    const perStep = (d.losses || []).map((v, i) => [i + 1, v]);
    const sc = d.scalars || {};
    const tbLoss = sc.loss || [];
    const prefix = name ? name + ": " : "";
    // live runs: the TensorBoard points reach past the last checkpoint's per-step losses
    if (perStep.length > 0) loss.push({name: prefix + "loss per step", points: perStep, colour: colour});
    if (tbLoss.length > 0 && (perStep.length === 0 || tbLoss[tbLoss.length - 1][0] > perStep.length || !name))
      loss.push({name: prefix + "loss (interval mean)", points: tbLoss, colour: colour == null ? 1 : colour, dashed: perStep.length > 0});
    if (sc.learning_rate) lr.push({name: prefix + "learning rate", points: sc.learning_rate, colour: colour});
    if (sc.grad_norm) grad.push({name: prefix + "gradient norm", points: sc.grad_norm, colour: colour});
    return {loss, lr, grad};
  }

  function chartsPage(names) {
    const state = {log: true, zoom: null};
    const charts = {
      loss: new Chart(document.getElementById("loss-chart"), "training loss", "loss", state),
      lr: new Chart(document.getElementById("lr-chart"), "learning rate", "lr", state),
    };
    const gradHost = document.getElementById("grad-chart");
    if (gradHost) charts.grad = new Chart(gradHost, "gradient norm (mean per log interval)", "norm", state);
    let last = {};
    let drawn = null; // the data last drawn, as JSON
    state.redraw = () => Object.keys(charts).forEach(k => charts[k].set(last[k] || []));
    document.getElementById("logy").addEventListener("change", e => { state.log = e.target.checked; state.redraw(); });
    document.getElementById("reset-zoom").addEventListener("click", () => { state.zoom = null; state.redraw(); });
    let statuses = null;
    async function refresh() {
      const details = await Promise.all(names.map(n => fetch("/api/run/" + encodeURIComponent(n)).then(r => r.json())));
      const all = {loss: [], lr: [], grad: []};
      details.forEach((d, i) => {
        const c = curves(names.length > 1 ? names[i] : "", d, names.length > 1 ? i : null);
        all.loss.push(...c.loss); all.lr.push(...c.lr); all.grad.push(...c.grad);
      });
      const signature = JSON.stringify(all);
      if (signature !== drawn) { // redraw only on new data: zoom, hover and selections survive a poll
        drawn = signature;
        last = all;
        state.redraw();
      }
      const now = details.map(d => d.summary ? d.summary.status : "?");
      const badge = document.getElementById("status");
      if (badge && now.length === 1) { badge.textContent = now[0]; badge.className = "status " + now[0]; }
      const note = document.getElementById("finished-note");
      if (statuses && statuses.join() !== now.join() && now.every(s => s !== "training") && note) note.hidden = false;
      statuses = now;
      document.body.dataset.loaded = String(Date.now());
    }
    refresh();
    setInterval(refresh, POLL_MS);
  }

  function listPage() {
    const table = document.getElementById("runs");
    const filter = document.getElementById("filter");
    const button = document.getElementById("compare-selected");
    const applyFilter = () => {
      const q = filter.value.toLowerCase();
      table.querySelectorAll("tbody tr").forEach(tr => tr.classList.toggle("hidden", q !== "" && !tr.textContent.toLowerCase().includes(q)));
    };
    filter.addEventListener("input", applyFilter);
    table.querySelectorAll("th[data-sort]").forEach((th, _) => th.addEventListener("click", () => {
      const col = Array.from(th.parentNode.children).indexOf(th);
      const asc = !th.classList.contains("asc");
      table.querySelectorAll("th").forEach(h => h.classList.remove("asc", "desc"));
      th.classList.add(asc ? "asc" : "desc");
      const key = tr => tr.children[col].textContent;
      const rows = Array.from(table.tBodies[0].rows);
      rows.sort((a, b) => {
        if (th.dataset.sort === "number") {
          const x = parseFloat(key(a)), y = parseFloat(key(b));
          return (isNaN(x) ? Infinity : x) - (isNaN(y) ? Infinity : y);
        }
        return key(a).localeCompare(key(b));
      });
      if (!asc) rows.reverse();
      rows.forEach(r => table.tBodies[0].appendChild(r));
    }));
    const picks = () => Array.from(table.querySelectorAll("input.pick:checked")).map(c => c.value);
    table.addEventListener("change", () => { button.disabled = picks().length < 2; });
    button.addEventListener("click", () => {
      location.href = "/compare?" + picks().map(n => "run=" + encodeURIComponent(n)).join("&");
    });
    let known = null;
    async function poll() {
      const runs = await fetch("/api/runs").then(r => r.json());
      const names = runs.map(r => r.name).sort().join("\n");
      if (known !== null && known !== names && picks().length === 0) { location.reload(); return; }
      known = names;
      runs.forEach(r => {
        const tr = table.querySelector("tr[data-run='" + CSS.escape(r.name) + "']");
        if (tr) { const td = tr.querySelector("td.status"); td.textContent = r.status; td.className = "status " + r.status; }
      });
      document.body.dataset.loaded = String(Date.now());
    }
    poll();
    setInterval(poll, POLL_MS);
  }

  if (page === "list") listPage();
  if (page === "run" || page === "compare") chartsPage(data.runs || []);
  if (page === "compare") {
    document.getElementById("only-diff").addEventListener("change", e =>
      document.querySelectorAll("#manifest-diff tbody tr:not(.diff)").forEach(tr => tr.classList.toggle("hidden", e.target.checked)));
  }
})();
