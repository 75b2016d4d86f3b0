// A self-contained HTML page with an SVG memory timeline: one box per
// activation tensor, x = operator index, y = arena offset.
//
//   std::string html = MemoryTimelineHtml("kws_dscnn_int8", spans, num_ops, arena, op_names);
#ifndef MOTE_HOST_REPORT_MEMORY_HTML_H_
#define MOTE_HOST_REPORT_MEMORY_HTML_H_

#include <string>
#include <vector>

#include "host/plan/timeline.h"

namespace mote::host {

std::string MemoryTimelineHtml(const std::string& title, const std::vector<TensorSpan>& spans,
                               size_t num_ops, size_t activation_bytes,
                               const std::vector<std::string>& op_names);

}  // namespace mote::host

#endif  // MOTE_HOST_REPORT_MEMORY_HTML_H_
