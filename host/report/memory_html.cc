#include "host/report/memory_html.h"

#include <algorithm>
#include <sstream>

#include "host/report/html.h"

namespace mote::host {

std::string MemoryTimelineHtml(const std::string& title, const std::vector<TensorSpan>& spans,
                               size_t num_ops, size_t activation_bytes,
                               const std::vector<std::string>& op_names) {
  const double width = 900, height = 480, left = 70, top = 20, bottom = 40;
  const double cols = static_cast<double>(num_ops + 1);
  const double bytes = static_cast<double>(std::max<size_t>(activation_bytes, 1));
  const double col_w = (width - left - 10) / cols;
  const double scale = (height - top - bottom) / bytes;
  std::ostringstream svg;
  svg << "<svg xmlns='http://www.w3.org/2000/svg' width='" << width << "' height='" << height
      << "' font-family='sans-serif' font-size='11'>\n";
  svg << "<text x='" << left << "' y='14'>arena offset (bytes, 0 at top) vs operator</text>\n";
  static const char* const kColors[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2",
                                        "#59a14f", "#edc948", "#b07aa1", "#ff9da7"};
  int i = 0;
  for (const auto& s : spans) {
    const double x = left + col_w * s.first;
    const double w = col_w * (std::min<int32_t>(s.last, static_cast<int32_t>(num_ops)) - s.first + 1);
    const double y = top + scale * static_cast<double>(s.offset);
    const double h = std::max(1.0, scale * s.bytes);
    svg << "<rect x='" << x << "' y='" << y << "' width='" << w - 1 << "' height='" << h
        << "' fill='" << kColors[i++ % 8] << "' fill-opacity='0.75' stroke='#333'><title>tensor "
        << s.tensor << ": " << s.bytes << " B at offset " << s.offset << ", ops " << s.first
        << ".." << s.last << "</title></rect>\n";
  }
  for (size_t k = 0; k < num_ops; ++k) {
    svg << "<text x='" << left + col_w * (k + 0.5) << "' y='" << height - bottom + 14
        << "' text-anchor='middle'>" << k << "</text>\n";
  }
  svg << "<line x1='" << left << "' y1='" << top << "' x2='" << left << "' y2='"
      << height - bottom << "' stroke='#000'/>\n";
  svg << "<text x='" << left - 4 << "' y='" << height - bottom << "' text-anchor='end'>"
      << activation_bytes << "</text>\n<text x='" << left - 4 << "' y='" << top + 10
      << "' text-anchor='end'>0</text>\n</svg>\n";
  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>" << HtmlEscape(title)
       << " memory plan</title></head><body>\n<h1>" << HtmlEscape(title) << "</h1>\n<p>"
       << spans.size() << " activation tensors in " << activation_bytes
       << " bytes. Hover a box for details.</p>\n"
       << svg.str() << "<ol start='0'>\n";
  for (const auto& name : op_names) html << "<li>" << HtmlEscape(name) << "</li>\n";
  html << "</ol>\n</body></html>\n";
  return html.str();
}

}  // namespace mote::host
