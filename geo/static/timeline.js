// Hands each chart's figures (computed in Python, geo/timeline.py) to Chart.js as stacked bars.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("timeline-data").textContent);
  var charts = data.charts.map(function (chart) {
    return new Chart(document.getElementById(chart.id + "-canvas"), {
      type: "bar",
      data: {
        labels: chart.years.map(String),
        datasets: chart.series.map(function (s) {
          return { label: s.label, data: s.values, backgroundColor: s.colour, borderWidth: 0 };
        }),
      },
      options: {
        animation: false, // the figures are the point; tests and screenshots see the final picture
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          x: { stacked: true, grid: { display: false } },
          y: { stacked: true, beginAtZero: true, title: { display: true, text: chart.unit } },
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (item) { return item.dataset.label + ": " + item.formattedValue + " " + chart.unit; },
            },
          },
        },
      },
    });
  });
  window.cpecTimeline = { charts: charts };
})();
