// Small helpers shared by the HTML reports (memory_html, quant_html).
//
//   out << "<td>" << HtmlEscape(tensor_name) << "</td>";
#ifndef MOTE_HOST_REPORT_HTML_H_
#define MOTE_HOST_REPORT_HTML_H_

#include <string>

namespace mote::host {

// `s` with <, >, & and " replaced by their entities: safe inside elements
// and double-quoted attributes.
inline std::string HtmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

}  // namespace mote::host

#endif  // MOTE_HOST_REPORT_HTML_H_
