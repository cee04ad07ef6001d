// Draws the city dashboard's chart (the pooled rates of each county) with the vendored ECharts;
// data comes from a JSON script tag, so the page needs no inline script (CSP script-src 'self').
(function () {
  var node = document.getElementById("city-data");
  var el = document.getElementById("chart-city");
  if (!node || !el || !window.echarts) return;
  var data = JSON.parse(node.textContent);
  var big = { fontSize: 14 };
  var chart = echarts.init(el, null, { renderer: "svg" });
  chart.setOption({
    color: ["#b71c1c", "#e65100", "#1565c0", "#2e7d32"],
    textStyle: big,
    animation: false,
    legend: { bottom: 0, textStyle: big },
    grid: { left: 8, right: 16, top: 24, bottom: 64, containLabel: true },
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
    xAxis: { type: "category", data: data.labels, axisLabel: big },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { fontSize: 14, formatter: "{value}%" } },
    series: data.series.map(function (s) {
      return { name: s.name, type: "bar", data: s.values, label: { show: true, position: "top", fontSize: 12 } };
    })
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
