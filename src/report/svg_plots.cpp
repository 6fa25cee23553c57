#include "report/svg_plots.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace causeway::svg {
namespace {

constexpr double kWidth = 720;
constexpr const char* kTreated = "#c0392b";  // the treated arm, everywhere in the report
constexpr const char* kControl = "#2471a3";

// A linear map from data values to pixels.
struct Scale {
  double lo, hi, from, to;
  double operator()(double v) const { return from + (v - lo) / (hi - lo) * (to - from); }
};

std::string number(double v) {
  if (v == 0) return "0";
  const double a = std::abs(v);
  if (a >= 1e5 || a < 1e-3) return fmt::format("{:.2g}", v);
  return fmt::format("{:.{}f}", v, a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3);
}

std::string open(double height, const std::string& label) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" "
      "height=\"{1}\" role=\"img\" aria-label=\"{2}\" font-family=\"sans-serif\" "
      "font-size=\"12\">\n",
      kWidth, height, escape(label));
}

std::string text(double x, double y, const std::string& s, const char* anchor = "middle",
                 const char* extra = "") {
  return fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"{}\"{}>{}</text>\n", x, y,
                     anchor, extra, escape(s));
}

std::string line(double x1, double y1, double x2, double y2, const char* style) {
  return fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" {}/>\n", x1, y1,
                     x2, y2, style);
}

// Tick labels with the decimals their step needs, the same for every tick of an axis.
std::string tick_label(double v, double step) {
  const int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
  return fmt::format("{:.{}f}", v, decimals);
}

// A horizontal axis at y with ticks and a label below it.
std::string x_axis(const Scale& s, double y, const std::string& label) {
  std::string out = line(s.from, y, s.to, y, "stroke=\"#333\"");
  const std::vector<double> at = ticks(s.lo, s.hi);
  const double step = at.size() > 1 ? at[1] - at[0] : 1;
  for (double t : at) {
    const double x = s(t);
    out += line(x, y, x, y + 5, "stroke=\"#333\"") + text(x, y + 18, tick_label(t, step));
  }
  return out + text((s.from + s.to) / 2, y + 36, label, "middle", " font-weight=\"bold\"");
}

}  // namespace

std::string escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::vector<double> ticks(double lo, double hi, int target) {
  if (!(hi > lo)) return {lo};
  const double raw = (hi - lo) / target;
  const double magnitude = std::pow(10, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * magnitude >= raw) {
      step = m * magnitude;
      break;
    }
  std::vector<double> out;
  for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
    out.push_back(std::abs(t) < step * 1e-9 ? 0 : t);
  return out;
}

std::string forest_plot(const std::vector<Interval>& rows, const std::string& axis) {
  double lo = 0, hi = 0;  // zero always shows
  for (const auto& r : rows) lo = std::min(lo, r.low), hi = std::max(hi, r.high);
  const double pad = (hi - lo) * 0.08 + 1e-12;
  const Scale x{lo - pad, hi + pad, 170, kWidth - 30};
  const double row_h = 30, top = 20, height = top + row_h * rows.size() + 50;
  std::string out = open(height, "estimates with 95 % intervals");
  out += line(x(0), top - 5, x(0), top + row_h * rows.size(),
              "stroke=\"#888\" stroke-dasharray=\"4 3\"");
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const auto& r = rows[k];
    const double y = top + row_h * (k + 0.5);
    out += text(160, y + 4, r.label, "end");
    out += fmt::format(
        "<g class=\"mark\"><line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" "
        "stroke=\"#333\" stroke-width=\"2\"/><rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"10\" "
        "height=\"10\" fill=\"{}\"><title>{}: {} (95 % interval {} to {})</title></rect></g>\n",
        x(r.low), y, x(r.high), y, x(r.estimate) - 5, y - 5, k == 0 ? "#777" : kTreated,
        escape(r.label), number(r.estimate), number(r.low), number(r.high));
  }
  return out + x_axis(x, top + row_h * rows.size() + 4, axis) + "</svg>\n";
}

std::string mirrored_histogram(const std::vector<std::size_t>& treated,
                               const std::vector<std::size_t>& control) {
  // Shares of each arm, so a small arm is as visible as a large one.
  double total[2] = {0, 0};
  for (std::size_t c : control) total[0] += static_cast<double>(c);
  for (std::size_t c : treated) total[1] += static_cast<double>(c);
  const auto share = [&](std::size_t c, int arm) {
    return total[arm] > 0 ? 100 * static_cast<double>(c) / total[arm] : 0.0;
  };
  double most = 1;
  for (std::size_t b = 0; b < treated.size(); ++b)
    most = std::max({most, share(treated[b], 1), share(control[b], 0)});
  const double half = 110, mid = 20 + half, height = mid + half + 50;
  const Scale x{0, 1, 70, kWidth - 20};
  const Scale up{0, most, mid, mid - half};
  const Scale down{0, most, mid, mid + half};
  std::string out = open(height, "propensity score histogram, treated above, control below");
  const double w = (x.to - x.from) / static_cast<double>(treated.size());
  for (std::size_t b = 0; b < treated.size(); ++b) {
    const double left = x.from + w * static_cast<double>(b);
    const double lo = static_cast<double>(b) / treated.size(), hi = lo + 1.0 / treated.size();
    const double t = share(treated[b], 1), c = share(control[b], 0);
    if (treated[b] > 0)
      out += fmt::format(
          "<rect class=\"mark\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
          "fill=\"{}\"><title>treated, score {:.2f} to {:.2f}: {} ({:.1f} %)</title></rect>\n",
          left + 1, up(t), w - 2, mid - up(t), kTreated, lo, hi, treated[b], t);
    if (control[b] > 0)
      out += fmt::format(
          "<rect class=\"mark\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
          "fill=\"{}\"><title>control, score {:.2f} to {:.2f}: {} ({:.1f} %)</title></rect>\n",
          left + 1, mid, w - 2, down(c) - mid, kControl, lo, hi, control[b], c);
  }
  // The count axis runs both ways from the middle line.
  out += line(x.from, mid - half, x.from, mid + half, "stroke=\"#333\"");
  const std::vector<double> at = ticks(0, most, 3);
  const double step = at.size() > 1 ? at[1] - at[0] : 1;
  for (double t : at) {
    out += text(x.from - 6, up(t) + 4, tick_label(t, step), "end");
    if (t > 0) out += text(x.from - 6, down(t) + 4, tick_label(t, step), "end");
  }
  out += text(18, mid, "share of the arm (%)", "middle",
              fmt::format(" transform=\"rotate(-90 18 {:.1f})\"", mid).c_str());
  out += text(x.to - 4, mid - half + 12, "treated", "end", " fill=\"#c0392b\"");
  out += text(x.to - 4, mid + half - 4, "control", "end", " fill=\"#2471a3\"");
  return out + x_axis(x, mid + half + 4, "propensity score (probability of treatment)") +
         "</svg>\n";
}

std::string love_plot(const std::vector<BalancePoint>& rows) {
  double hi = 0.25;
  for (const auto& r : rows) {
    hi = std::max(hi, std::abs(r.before));
    if (r.matched) hi = std::max(hi, std::abs(*r.matched));
    if (r.weighted) hi = std::max(hi, std::abs(*r.weighted));
  }
  const Scale x{0, hi * 1.05, 190, kWidth - 30};
  const double row_h = 22, top = 34, height = top + row_h * rows.size() + 50;
  std::string out = open(height, "love plot: absolute standardised mean differences");
  // Legend.
  out += fmt::format(
      "<circle cx=\"200\" cy=\"12\" r=\"5\" fill=\"none\" stroke=\"#333\" stroke-width=\"1.5\"/>"
      "{}<path d=\"M 320 7 L 325 16 L 315 16 Z\" fill=\"{}\"/>{}"
      "<rect x=\"460\" y=\"7\" width=\"9\" height=\"9\" fill=\"{}\"/>{}",
      text(210, 16, "before adjustment", "start"), kControl,
      text(332, 16, "matched sample", "start"), kTreated, text(476, 16, "weighted", "start"));
  out += line(x(0.1), top - 6, x(0.1), top + row_h * rows.size(),
              "stroke=\"#888\" stroke-dasharray=\"4 3\"");
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const auto& r = rows[k];
    const double y = top + row_h * (k + 0.5);
    out += line(x.from, y, x.to, y, "stroke=\"#eee\"");
    out += text(180, y + 4, r.covariate, "end");
    out += fmt::format(
        "<circle class=\"mark\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"5\" fill=\"none\" "
        "stroke=\"#333\" stroke-width=\"1.5\"><title>{} before: {:.3f}</title></circle>\n",
        x(std::abs(r.before)), y, escape(r.covariate), r.before);
    if (r.matched) {
      const double cx = x(std::abs(*r.matched));
      out += fmt::format(
          "<path class=\"mark\" d=\"M {:.1f} {:.1f} L {:.1f} {:.1f} L {:.1f} {:.1f} Z\" "
          "fill=\"{}\"><title>{} matched: {:.3f}</title></path>\n",
          cx, y - 5, cx + 5, y + 4, cx - 5, y + 4, kControl, escape(r.covariate), *r.matched);
    }
    if (r.weighted)
      out += fmt::format(
          "<rect class=\"mark\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"9\" height=\"9\" "
          "fill=\"{}\"><title>{} weighted: {:.3f}</title></rect>\n",
          x(std::abs(*r.weighted)) - 4.5, y - 4.5, kTreated, escape(r.covariate), *r.weighted);
  }
  return out +
         x_axis(x, top + row_h * rows.size() + 4,
                "absolute standardised mean difference (pooled SDs; dashed: 0.1)") +
         "</svg>\n";
}

std::string calibration_plot(const std::vector<CalibrationPoint>& rows, const std::string& axis) {
  double lo = 0, hi = 0;
  for (const auto& r : rows) {
    lo = std::min(lo, r.predicted), hi = std::max(hi, r.predicted);
    if (r.low) lo = std::min(lo, *r.low);
    if (r.high) hi = std::max(hi, *r.high);
  }
  const double pad = (hi - lo) * 0.08 + 1e-12;
  const double height = 300, top = 30, bottom = height - 60;
  const Scale y{lo - pad, hi + pad, bottom, top};
  const Scale x{0, static_cast<double>(rows.size()), 80, kWidth - 20};
  std::string out = open(height, "uplift calibration: predicted and observed lift per decile");
  out += fmt::format(
      "<path d=\"M 100 12 L 105 17 L 100 22 L 95 17 Z\" fill=\"none\" stroke=\"#333\"/>{}"
      "<circle cx=\"260\" cy=\"17\" r=\"4\" fill=\"{}\"/>{}",
      text(112, 21, "mean predicted uplift", "start"), kTreated,
      text(270, 21, "observed lift with 95 % interval", "start"));
  out += line(x.from, y(0), x.to, y(0), "stroke=\"#888\" stroke-dasharray=\"4 3\"");
  out += line(x.from, top, x.from, bottom, "stroke=\"#333\"");
  const std::vector<double> at = ticks(y.lo, y.hi, 6);
  const double step = at.size() > 1 ? at[1] - at[0] : 1;
  for (double t : at) out += text(x.from - 6, y(t) + 4, tick_label(t, step), "end");
  out += text(18, (top + bottom) / 2, axis, "middle",
              fmt::format(" transform=\"rotate(-90 18 {:.1f})\"", (top + bottom) / 2).c_str());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const auto& r = rows[k];
    const double cx = x(static_cast<double>(k) + 0.5);
    out += text(cx, bottom + 18, r.label);
    const double py = y(r.predicted);
    out += fmt::format(
        "<path class=\"mark\" d=\"M {0:.1f} {1:.1f} L {2:.1f} {3:.1f} L {0:.1f} {4:.1f} L {5:.1f} "
        "{3:.1f} Z\" fill=\"none\" stroke=\"#333\" stroke-width=\"1.5\"><title>decile {6}: "
        "predicted {7:.4f}</title></path>\n",
        cx - 9, py - 5, cx - 4, py, py + 5, cx - 14, escape(r.label), r.predicted);
    if (r.observed && r.low && r.high)
      out += fmt::format(
          "<g class=\"mark\"><line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" "
          "stroke=\"{3}\" stroke-width=\"2\"/><circle cx=\"{0:.1f}\" cy=\"{4:.1f}\" r=\"4\" "
          "fill=\"{3}\"><title>decile {5}: observed {6:.4f} ({7:.4f} to {8:.4f})</title></circle>"
          "</g>\n",
          cx + 6, y(*r.low), y(*r.high), kTreated, y(*r.observed), escape(r.label), *r.observed,
          *r.low, *r.high);
    else
      out += text(cx + 6, y(0) - 6, "n/a", "middle", " fill=\"#777\"");
  }
  return out +
         text((x.from + x.to) / 2, bottom + 40,
              "decile of predicted uplift (1 = the customers predicted to gain most)", "middle",
              " font-weight=\"bold\"") +
         "</svg>\n";
}

}  // namespace causeway::svg
