#include "host/report/quant_html.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "host/report/html.h"

namespace mote::host {
namespace {

std::string Fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

}  // namespace

std::string QuantReportHtml(const compress::QuantReport& r) {
  const double width = 900, row = 22, left = 260, top = 24;
  const double height = top + row * r.layers.size() + 30;
  double max_db = 10;
  for (const auto& l : r.layers) max_db = std::max(max_db, l.sqnr_db);
  const double px = (width - left - 80) / max_db;
  std::ostringstream svg;
  svg << "<svg xmlns='http://www.w3.org/2000/svg' width='" << width << "' height='" << height
      << "' font-family='sans-serif' font-size='12'>\n"
      << "<text x='" << left << "' y='14'>SQNR (dB) of each layer's int8 output vs float; "
         "red: the layers that lose most</text>\n";
  for (double db : {20.0, 30.0}) {
    if (db > max_db) continue;
    svg << "<line x1='" << left + px * db << "' y1='" << top << "' x2='" << left + px * db << "' y2='"
        << height - 24 << "' stroke='#999' stroke-dasharray='4 3'/><text x='" << left + px * db
        << "' y='" << height - 10 << "' text-anchor='middle'>" << db << " dB</text>\n";
  }
  for (size_t i = 0; i < r.layers.size(); ++i) {
    const auto& l = r.layers[i];
    const bool worst = std::find(r.worst.begin(), r.worst.end(), static_cast<int>(i)) != r.worst.end();
    const double y = top + row * i;
    svg << "<text x='" << left - 6 << "' y='" << y + 15 << "' text-anchor='end'>" << HtmlEscape(l.tensor)
        << " (" << HtmlEscape(l.layers) << ")</text>\n<rect x='" << left << "' y='" << y + 3 << "' width='"
        << std::max(1.0, px * std::max(0.0, l.sqnr_db)) << "' height='" << row - 6 << "' fill='"
        << (worst ? "#e15759" : "#4e79a7") << "'><title>" << Fixed(l.sqnr_db, 1) << " dB, drop "
        << Fixed(l.sqnr_drop_db, 1) << " dB</title></rect>\n<text x='"
        << left + px * std::max(0.0, l.sqnr_db) + 4 << "' y='" << y + 15 << "'>" << Fixed(l.sqnr_db, 1)
        << "</text>\n";
  }
  svg << "</svg>\n";
  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>" << HtmlEscape(r.model)
       << " quantization report</title>\n<style>body{font-family:sans-serif}td,th{padding:2px 8px;"
          "border-bottom:1px solid #ddd;text-align:left}</style></head><body>\n<h1>"
       << HtmlEscape(r.model) << ": int8 quantization report</h1>\n<p>" << r.samples
       << " calibration rows; model input SQNR " << Fixed(r.input_sqnr_db, 1) << " dB.</p>\n"
       << svg.str() << "<h2>Layers that lose most</h2>\n<ol>\n";
  for (int w : r.worst) {
    const auto& l = r.layers[w];
    html << "<li><b>" << HtmlEscape(l.tensor) << "</b>: " << Fixed(l.sqnr_drop_db, 1) << " dB lost here; "
         << HtmlEscape(l.suggestion) << " &mdash; " << HtmlEscape(l.reason) << "</li>\n";
  }
  html << "</ol>\n<h2>All layers</h2>\n<table><tr><th>op</th><th>tensor</th><th>layers</th>"
          "<th>SQNR dB</th><th>drop dB</th><th>activation range</th><th>outlier ratio</th>"
          "<th>weight channel range ratio</th><th>suggestion</th></tr>\n";
  for (const auto& l : r.layers) {
    html << "<tr><td>" << l.op << "</td><td>" << HtmlEscape(l.tensor) << "</td><td>" << HtmlEscape(l.layers)
         << "</td><td>" << Fixed(l.sqnr_db, 1) << "</td><td>" << Fixed(l.sqnr_drop_db, 1) << "</td><td>["
         << Fixed(l.act_min, 3) << ", " << Fixed(l.act_max, 3) << "]</td><td>" << Fixed(l.act_outlier_ratio, 2)
         << "</td><td>"
         << (l.has_weights ? Fixed(l.channel_range_ratio, 2) + (l.per_channel ? " (per-channel)" : " (per-tensor)")
                           : std::string("-"))
         << "</td><td title='" << HtmlEscape(l.reason) << "'>" << HtmlEscape(l.suggestion) << "</td></tr>\n";
  }
  html << "</table>\n</body></html>\n";
  return html.str();
}

}  // namespace mote::host
