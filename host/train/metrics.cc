#include "host/train/metrics.h"

#include <cstdio>

namespace mote::train {

Report ClassificationReport(const std::vector<int>& y_true, const std::vector<int>& y_pred,
                            const std::vector<std::string>& names) {
  Report r;
  const size_t k = names.size();
  std::vector<int> tp(k, 0);
  r.classes.resize(k);
  for (size_t c = 0; c < k; ++c) r.classes[c].name = names[c];
  int correct = 0;
  for (size_t i = 0; i < y_true.size(); ++i) {
    const int t = y_true[i], p = y_pred[i];
    if (t >= 0 && t < static_cast<int>(k)) ++r.classes[t].support;
    if (p >= 0 && p < static_cast<int>(k)) ++r.classes[p].predicted;
    if (t == p) {
      ++correct;
      if (t >= 0 && t < static_cast<int>(k)) ++tp[t];
    }
  }
  r.total = static_cast<int>(y_true.size());
  r.accuracy = r.total ? static_cast<double>(correct) / r.total : 0.0;
  r.macro.name = "macro avg";
  r.weighted.name = "weighted avg";
  for (size_t c = 0; c < k; ++c) {
    ClassMetrics& m = r.classes[c];
    m.precision = m.predicted ? static_cast<double>(tp[c]) / m.predicted : 0.0;
    m.recall = m.support ? static_cast<double>(tp[c]) / m.support : 0.0;
    m.f1 = m.precision + m.recall > 0 ? 2 * m.precision * m.recall / (m.precision + m.recall) : 0.0;
    r.macro.precision += m.precision / k;
    r.macro.recall += m.recall / k;
    r.macro.f1 += m.f1 / k;
    if (r.total) {
      const double w = static_cast<double>(m.support) / r.total;
      r.weighted.precision += m.precision * w;
      r.weighted.recall += m.recall * w;
      r.weighted.f1 += m.f1 * w;
    }
  }
  r.macro.support = r.weighted.support = r.total;
  return r;
}

std::string Report::Format(int digits) const {
  std::string out;
  char buf[256];
  const int w = digits + 6;
  std::snprintf(buf, sizeof buf, "%14s %*s %*s %*s %*s\n\n", "", w, "precision", w, "recall", w,
                "f1-score", w, "support");
  out += buf;
  auto row = [&](const ClassMetrics& m) {
    std::snprintf(buf, sizeof buf, "%14s %*.*f %*.*f %*.*f %*d\n", m.name.c_str(), w, digits,
                  m.precision, w, digits, m.recall, w, digits, m.f1, w, m.support);
    out += buf;
  };
  for (const auto& m : classes) row(m);
  out += "\n";
  std::snprintf(buf, sizeof buf, "%14s %*s %*s %*.*f %*d\n", "accuracy", w, "", w, "", w, digits,
                accuracy, w, total);
  out += buf;
  row(macro);
  row(weighted);
  return out;
}

nlohmann::json Report::ToJson() const {
  nlohmann::json j;
  auto one = [](const ClassMetrics& m) {
    return nlohmann::json{{"precision", m.precision}, {"recall", m.recall}, {"f1-score", m.f1},
                          {"support", m.support}};
  };
  for (const auto& m : classes) j[m.name] = one(m);
  j["accuracy"] = accuracy;
  j["macro avg"] = one(macro);
  j["weighted avg"] = one(weighted);
  return j;
}

std::string Report::DegenerateWarning() const {
  std::string missing;
  for (const auto& m : classes)
    if (m.support > 0 && m.predicted == 0) missing += (missing.empty() ? "" : ", ") + m.name;
  if (missing.empty()) return "";
  return "degenerate classifier: class " + missing +
         " never predicted (recall 0); accuracy only reflects the class balance";
}

}  // namespace mote::train
