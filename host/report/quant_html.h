// A self-contained HTML page for a quantization report
// (host/compress/quant_report.h): one SVG bar per layer (SQNR in dB, the
// worst layers highlighted), then a table with ranges and suggestions. No
// scripts, no external files.
//
//   std::ofstream("report.html") << QuantReportHtml(*report);
#ifndef MOTE_HOST_REPORT_QUANT_HTML_H_
#define MOTE_HOST_REPORT_QUANT_HTML_H_

#include <string>

#include "host/compress/quant_report.h"

namespace mote::host {

std::string QuantReportHtml(const compress::QuantReport& r);

}  // namespace mote::host

#endif  // MOTE_HOST_REPORT_QUANT_HTML_H_
