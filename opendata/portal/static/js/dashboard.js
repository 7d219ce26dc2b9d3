/* The dashboard's charts: each panel carries its numbers as a table (for everyone) and as
   JSON (for this script); Chart.js, vendored under /static/vendor, draws the JSON. Without
   JavaScript the tables stay open; with it, each chart shows and its table folds away. */
(function () {
  "use strict";

  // Okabe-Ito: told apart with every common colour-vision deficiency
  var PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
    "#7A6A00", "#1B1F23", "#8C564B", "#6A3D9A"];
  var LINE = 16; // characters per line of a long category label

  function wrap(label) {
    var words = String(label).split(" ");
    var lines = [];
    var current = "";
    words.forEach(function (word) {
      if (current && (current + " " + word).length > LINE) {
        lines.push(current);
        current = word;
      } else {
        current = current ? current + " " + word : word;
      }
    });
    lines.push(current);
    return lines.length > 1 ? lines : lines[0];
  }

  // axis numbers as the page's language writes them, short: "2,5 T", "120 rb"
  var compact = new Intl.NumberFormat(document.documentElement.lang || "id", {
    notation: "compact",
    maximumFractionDigits: 1
  });

  function short(value) {
    return compact.format(value);
  }

  function draw(section) {
    var id = section.getAttribute("data-panel");
    var source = document.getElementById("data-" + id);
    var canvas = document.getElementById("chart-" + id);
    if (!source || !canvas) return;
    var spec = JSON.parse(source.textContent);
    var line = spec.kind === "line";
    var stacked = spec.kind === "stacked-bar";
    var separate = spec.separateScales && spec.series.length === 2;
    // many long category names read better as horizontal bars on a phone
    var longest = Math.max.apply(null, spec.categories.map(function (c) {
      return String(c).length;
    }));
    var horizontal = !line && (spec.horizontal ||
      (!separate && spec.categories.length > 6 && longest > 6 && window.innerWidth < 600));
    var valueAxis = horizontal ? "x" : "y";
    var categoryAxis = horizontal ? "y" : "x";
    var figure = canvas.closest("figure");
    figure.hidden = false;
    if (horizontal) {
      var perBar = stacked || spec.series.length === 1 ? 30 : 14 * spec.series.length + 10;
      canvas.parentNode.style.height =
        Math.max(200, perBar * spec.categories.length + 80) + "px";
    }
    var scales = {};
    // every category label shows, unless there are many (months of several years)
    var skip = !horizontal && spec.categories.length > 12;
    scales[categoryAxis] = { stacked: stacked, ticks: { autoSkip: skip } };
    scales[valueAxis] = { stacked: stacked, beginAtZero: true, ticks: { callback: short } };
    // a count beside a sum: the second measure gets its own scale, each titled
    if (separate) {
      scales[valueAxis].title = { display: true, text: spec.series[0].name };
      scales[valueAxis + "2"] = {
        position: horizontal ? "top" : "right",
        beginAtZero: true,
        grid: { drawOnChartArea: false },
        ticks: { callback: short },
        title: { display: true, text: spec.series[1].name }
      };
    }
    new window.Chart(canvas, {
      type: line ? "line" : "bar",
      data: {
        labels: spec.categories.map(wrap),
        datasets: spec.series.map(function (series, index) {
          var colour = PALETTE[index % PALETTE.length];
          return {
            label: series.name,
            data: series.data,
            backgroundColor: colour,
            borderColor: colour,
            pointRadius: 2,
            spanGaps: false,
            xAxisID: horizontal && separate && index === 1 ? "x2" : "x",
            yAxisID: !horizontal && separate && index === 1 ? "y2" : "y"
          };
        })
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        locale: document.documentElement.lang || "id",
        indexAxis: categoryAxis,
        scales: scales,
        plugins: {
          legend: { display: spec.series.length > 1, position: "bottom" }
        }
      }
    });
    figure.setAttribute("data-drawn", "true");
    var numbers = section.querySelector("details.numbers");
    if (numbers) numbers.open = false;
  }

  function start() {
    if (!window.Chart) return;
    window.Chart.defaults.color = "#1b1f23";
    window.Chart.defaults.font.family =
      'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif';
    document.querySelectorAll("section.panel[data-chart]").forEach(function (section) {
      if (section.getAttribute("data-chart") !== "table") draw(section);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
