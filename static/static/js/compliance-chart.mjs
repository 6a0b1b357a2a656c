// The compliance dashboard's trend chart, drawn with Chart.js (its UMD build sets window.Chart).
// Progressive enhancement only: the table under the chart always carries the same figures, and the
// chart stays hidden when JavaScript (or Chart.js) is not there.
const wrapper = document.getElementById("compliance-trend");
const canvas = document.getElementById("compliance-trend-chart");
const source = document.getElementById("compliance-trend-data");

if (wrapper && canvas && source && window.Chart) {
  const data = JSON.parse(source.textContent);
  const Chart = window.Chart;
  const text = "#0b0c0c"; // GOV.UK text colour
  const blue = "#1d70b8"; // GOV.UK blue
  // The page's own typeface (GOV.UK sets it on its text classes, not on the body).
  const sample = document.querySelector(".govuk-body") || document.body;
  Chart.defaults.font.family = getComputedStyle(sample).fontFamily;
  Chart.defaults.font.size = 16;
  Chart.defaults.color = text;
  wrapper.hidden = false;
  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: [
        {
          label: data.series,
          data: data.values,
          borderColor: blue,
          backgroundColor: blue,
          borderWidth: 3,
          pointRadius: 5,
          pointHoverRadius: 7,
          spanGaps: false, // a month with nothing judged has no percentage: a gap, not a zero
          clip: false, // points at 0% and 100% are drawn whole
          tension: 0,
        },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: true,
      aspectRatio: 2.6,
      layout: { padding: { top: 8, right: 8 } },
      scales: {
        y: {
          min: 0,
          max: 100,
          title: { display: true, text: "% met on time" },
          ticks: { callback: (value) => `${value}%` },
          grid: { color: "#cecece" },
        },
        x: {
          title: { display: true, text: "Month due" },
          grid: { display: false },
        },
      },
      plugins: {
        legend: { display: true, labels: { boxWidth: 24 } },
        tooltip: {
          callbacks: {
            label: (ctx) => (ctx.parsed.y === null ? "No figures" : `${ctx.parsed.y}% met on time`),
          },
        },
      },
    },
  });
}
