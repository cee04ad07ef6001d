// Draws the dashboard's charts with the vendored ECharts; data comes from a JSON script tag, so
// the page needs no inline script (Content-Security-Policy: script-src 'self').
(function () {
  var node = document.getElementById("dashboard-data");
  if (!node || !window.echarts) return;
  var data = JSON.parse(node.textContent);
  var big = { fontSize: 16 };
  var palette = ["#b71c1c", "#e65100", "#f9a825", "#2e7d32", "#1565c0", "#6a1b9a", "#00838f", "#5d4037", "#546e7a"];
  var charts = [];

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(Object.assign({ color: palette, textStyle: big, animation: false }, option));
    charts.push(chart);
  }

  draw("chart-forms", {
    grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis" },
    xAxis: { type: "value", minInterval: 1, axisLabel: big },
    yAxis: { type: "category", data: data.byForm.labels, axisLabel: big, inverse: true },
    series: [{ type: "bar", data: data.byForm.values, label: { show: true, position: "right", fontSize: 14 } }]
  });
  draw("chart-months", {
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: data.byMonth.labels, axisLabel: big },
    yAxis: { type: "value", minInterval: 1, axisLabel: big },
    series: [{ type: "bar", data: data.byMonth.values, label: { show: true, position: "top", fontSize: 14 } }]
  });
  draw("chart-ranking", {
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis" },
    xAxis: { type: "value", minInterval: 1, axisLabel: big },
    yAxis: { type: "category", data: data.ranking.labels, axisLabel: { fontSize: 13 } },
    series: [{ type: "bar", data: data.ranking.values, label: { show: true, position: "right", fontSize: 14 } }]
  });
  draw("chart-grades", {
    tooltip: { trigger: "item" },
    legend: { bottom: 0, textStyle: big },
    series: [{ type: "pie", radius: ["35%", "65%"], data: data.grades, label: { fontSize: 16, formatter: "{b}\n{c}" } }]
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
