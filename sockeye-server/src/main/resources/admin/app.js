// Sockeye admin dashboard: polls /admin/api/stats every second and plots the last five minutes
// with Chart.js (served from its WebJar); the tables refresh every 3 s and on each search.
"use strict";

(() => {
  const POINTS = 300;
  const $ = (id) => document.getElementById(id);
  let lastStatsTime = 0;

  function chart(id, series) {
    return new Chart($(id), {
      type: "line",
      data: { labels: [], datasets: series.map(([label, color]) => ({ label, data: [], borderColor: color,
        backgroundColor: color, pointRadius: 0, borderWidth: 2, tension: 0.2, spanGaps: true })) },
      options: { animation: false, responsive: true, maintainAspectRatio: false,
        scales: { x: { ticks: { maxTicksLimit: 6 } }, y: { beginAtZero: true } },
        plugins: { legend: { display: series.length > 1 } } },
    });
  }

  const charts = {
    connections: chart("chart-connections", [["connections", "#2b6cb0"]]),
    messages: chart("chart-messages", [["in", "#2f855a"], ["out", "#c05621"]]),
    latency: chart("chart-latency", [["p50", "#6b46c1"], ["p99", "#c53030"]]),
    rejected: chart("chart-rejected", [["rejected", "#c53030"]]),
  };
  // For tests and curious operators: how many points each plot holds.
  window.sockeyeCharts = charts;

  function push(c, label, values) {
    c.data.labels.push(label);
    values.forEach((v, i) => c.data.datasets[i].data.push(v));
    if (c.data.labels.length > POINTS) {
      c.data.labels.shift();
      c.data.datasets.forEach((d) => d.data.shift());
    }
    c.update("none");
  }

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
        const label = new Date(s.time).toLocaleTimeString();
        push(charts.connections, label, [s.connections]);
        push(charts.messages, label, [s.messagesInPerSecond, s.messagesOutPerSecond]);
        push(charts.latency, label, [s.latencyP50Millis, s.latencyP99Millis]);
        push(charts.rejected, label, [s.rejectedHandshakesPerSecond]);
        $("v-connections").textContent = s.connections;
        $("v-in").textContent = s.messagesInPerSecond;
        $("v-out").textContent = s.messagesOutPerSecond;
        $("v-latency").textContent = s.latencyAvailable
          ? `${s.latencyP50Millis ?? "–"} / ${s.latencyP99Millis ?? "–"}` : "n/a";
        $("v-rejected").textContent = s.rejectedHandshakesPerSecond;
        $("node").textContent = s.node;
      }
      $("status").textContent = "live";
      $("status").className = "ok";
    } catch (e) {
      $("status").textContent = "no data: " + e.message;
      $("status").className = "bad";
    }
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
