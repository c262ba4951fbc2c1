// Sockeye admin dashboard: polls /admin/api/stats every second and plots the last five minutes
// with Chart.js (served from its WebJar), one line per node of the cluster; the tables refresh
// every 3 s and on each search.
"use strict";

(() => {
  const POINTS = 300;
  const COLORS = ["#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#c53030", "#b7791f", "#00838f", "#6d4c41"];
  const $ = (id) => document.getElementById(id);
  let lastStatsTime = 0;
  let labels = [];

  // Each plot has one line per node and per measure: "node" alone, or "node in" / "node out"...
  // The second measure of a plot is dashed in the node's colour.
  const PLOTS = {
    connections: { id: "chart-connections", measures: [["", "connections"]] },
    messages: { id: "chart-messages", measures: [["in", "messagesInPerSecond"], ["out", "messagesOutPerSecond"]] },
    latency: { id: "chart-latency", measures: [["p50", "latencyP50Millis"], ["p99", "latencyP99Millis"]] },
    rejected: { id: "chart-rejected", measures: [["", "rejectedHandshakesPerSecond"]] },
    recoveries: { id: "chart-recoveries", measures: [["", "recoveriesPerSecond"]] },
  };
  const nodeColors = new Map();

  function colorOf(node) {
    if (!nodeColors.has(node)) nodeColors.set(node, COLORS[nodeColors.size % COLORS.length]);
    return nodeColors.get(node);
  }

  function chart(id) {
    return new Chart($(id), {
      type: "line",
      data: { labels, datasets: [] },
      options: { animation: false, responsive: true, maintainAspectRatio: false,
        scales: { x: { ticks: { maxTicksLimit: 6 } }, y: { beginAtZero: true } },
        plugins: { legend: { display: true } } },
    });
  }

  const charts = Object.fromEntries(Object.entries(PLOTS).map(([name, p]) => [name, chart(p.id)]));
  // For tests and curious operators: the plots, their points and their series (dataset.node).
  window.sockeyeCharts = charts;

  // Adds a point for every node of this sample; a node seen for the first time gets its datasets
  // (earlier points empty), a node that left the cluster loses them.
  function push(nodes) {
    labels.push(new Date(lastStatsTime).toLocaleTimeString());
    const dropFirst = labels.length > POINTS;
    if (dropFirst) labels.shift();
    const names = new Set(nodes.map((n) => n.node));
    for (const [name, plot] of Object.entries(PLOTS)) {
      const c = charts[name];
      c.data.datasets = c.data.datasets.filter((d) => names.has(d.node));
      for (const n of nodes) {
        plot.measures.forEach(([suffix, field], i) => {
          let d = c.data.datasets.find((x) => x.node === n.node && x.measure === field);
          const fresh = !d;
          if (fresh) {
            const color = colorOf(n.node);
            d = { label: suffix ? `${n.node} ${suffix}` : n.node, node: n.node, measure: field,
              data: new Array(labels.length - 1).fill(null), borderColor: color,
              backgroundColor: color, borderDash: i === 1 ? [6, 4] : [], pointRadius: 0, borderWidth: 2,
              tension: 0.2, spanGaps: true };
            c.data.datasets.push(d);
          }
          d.data.push(n[field] ?? null);
          if (dropFirst && !fresh) d.data.shift();
        });
      }
      c.data.labels = labels;
      c.update("none");
    }
  }

  const sum = (nodes, field) => Math.round(nodes.reduce((a, n) => a + (n[field] ?? 0), 0) * 10) / 10;
  const worst = (nodes, field) => nodes.reduce((a, n) => (n[field] == null ? a : Math.max(a ?? 0, n[field])), null);

  async function api(path, options) {
    const res = await fetch("/admin/api/" + path, { credentials: "same-origin", ...options });
    if (res.status === 401) {
      location.href = "/admin/login";
      throw new Error("signed out");
    }
    const body = await res.json();
    if (!res.ok) throw new Error(body.error || res.statusText);
    return body;
  }

  async function pollStats() {
    try {
      const s = await api("stats");
      if (s.time !== lastStatsTime) {
        lastStatsTime = s.time;
        const nodes = s.nodes && s.nodes.length ? s.nodes : [s];
        push(nodes);
        // Tiles: the whole cluster (sums; latency of the slowest node).
        $("v-connections").textContent = sum(nodes, "connections");
        $("v-in").textContent = sum(nodes, "messagesInPerSecond");
        $("v-out").textContent = sum(nodes, "messagesOutPerSecond");
        $("v-latency").textContent = s.latencyAvailable
          ? `${worst(nodes, "latencyP50Millis") ?? "–"} / ${worst(nodes, "latencyP99Millis") ?? "–"}` : "n/a";
        $("v-rejected").textContent = sum(nodes, "rejectedHandshakesPerSecond");
        $("v-recoveries").textContent = sum(nodes, "recoveriesPerSecond");
        $("node").textContent = nodes.length > 1 ? `${s.node} · ${nodes.length} nodes` : s.node;
        if (s.backends) showBackends(s.backends, s.time);
      }
      $("status").textContent = "live";
      $("status").className = "ok";
    } catch (e) {
      $("status").textContent = "no data: " + e.message;
      $("status").className = "bad";
    }
  }

  // The gateway's proxies and brokers: running totals, turned into rates against the previous reading.
  let lastBackends = null;
  function showBackends(rows, time) {
    $("backends-card").hidden = rows.length === 0;
    const body = $("backends").tBodies[0];
    body.replaceChildren();
    const before = lastBackends;
    const seconds = before ? Math.max(0.001, (time - before.time) / 1000) : 1;
    for (const b of rows) {
      const prev = before && before.rows[b.backend];
      const row = document.createElement("tr");
      cell(row, b.backend);
      cell(row, prev ? ((b.calls - prev.calls) / seconds).toFixed(1) : "–");
      cell(row, prev ? ((b.failures - prev.failures) / seconds).toFixed(1) : "–");
      cell(row, b.calls);
      cell(row, b.failures);
      cell(row, b.meanMillis);
      cell(row, b.inFlight);
      body.appendChild(row);
    }
    lastBackends = { time, rows: Object.fromEntries(rows.map((b) => [b.backend, b])) };
  }

  function cell(row, text) {
    const td = document.createElement("td");
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  function button(td, text, onClick) {
    const b = document.createElement("button");
    b.textContent = text;
    b.className = "small";
    b.addEventListener("click", onClick);
    td.appendChild(b);
  }

  async function refreshTables() {
    const q = encodeURIComponent($("search").value.trim());
    try {
      const [rooms, users] = await Promise.all([api("rooms?q=" + q), api("users?q=" + q)]);
      const roomBody = $("rooms").tBodies[0];
      roomBody.replaceChildren();
      for (const r of rooms.rooms) {
        const tr = document.createElement("tr");
        cell(tr, r.room);
        cell(tr, r.count);
        button(cell(tr, ""), "Publish…", () => { $("publish-room").value = r.room; $("publish-text").focus(); });
        roomBody.appendChild(tr);
      }
      const userBody = $("users").tBodies[0];
      userBody.replaceChildren();
      let sockets = 0;
      for (const u of users.users) {
        u.connections.forEach((c, i) => {
          sockets++;
          const tr = document.createElement("tr");
          cell(tr, i === 0 ? (u.user ?? "(anonymous)") + (u.connections.length > 1 ? ` ×${u.connections.length}` : "") : "");
          cell(tr, c.id);
          cell(tr, c.transport);
          cell(tr, c.address);
          const td = cell(tr, "");
          if (i === 0 && u.user) {
            button(td, "Disconnect user", () => act(`Disconnect every connection of user "${u.user}"?`,
              "disconnect", { user: u.user }));
          } else if (!u.user) {
            button(td, "Disconnect", () => act(`Disconnect socket ${c.id}?`, "disconnect", { socket: c.id }));
          }
          userBody.appendChild(tr);
        });
      }
      $("tables-status").textContent = `${rooms.rooms.length} rooms, ${sockets} connections`
        + (rooms.truncated || users.truncated ? " (first 500 shown; search to narrow)" : "");
    } catch (e) {
      $("tables-status").textContent = "tables unavailable: " + e.message;
    }
  }

  async function act(question, path, body) {
    if (!confirm(question)) return null;
    try {
      const reply = await api(path, { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body) });
      refreshTables();
      return reply;
    } catch (e) {
      alert(path + " failed: " + e.message);
      return null;
    }
  }

  $("publish").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const room = $("publish-room").value.trim();
    const text = $("publish-text").value;
    const reply = await act(`Publish "${text}" to room "${room}"?`, "publish",
      { room, event: "chat", data: { name: "admin", text } });
    if (reply) $("publish-result").textContent = "published, id " + reply.id;
  });

  let searchTimer;
  $("search").addEventListener("input", () => { clearTimeout(searchTimer); searchTimer = setTimeout(refreshTables, 250); });

  pollStats();
  refreshTables();
  setInterval(pollStats, 1000);
  setInterval(refreshTables, 3000);
})();
