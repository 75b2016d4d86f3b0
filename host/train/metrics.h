// Classification metrics: a report like scikit-learn's classification_report
// (per-class precision, recall, F1, support; accuracy; macro and weighted
// averages) and the degenerate-classifier check.
//
//   auto r = ClassificationReport(y_true, y_pred, {"normal", "anomaly"});
//   std::cout << r.Format();
//   if (auto w = r.DegenerateWarning(); !w.empty()) std::cerr << "warning: " << w << "\n";
#ifndef MOTE_HOST_TRAIN_METRICS_H_
#define MOTE_HOST_TRAIN_METRICS_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace mote::train {

struct ClassMetrics {
  std::string name;
  double precision = 0, recall = 0, f1 = 0;
  int support = 0, predicted = 0;
};

struct Report {
  std::vector<ClassMetrics> classes;
  double accuracy = 0;
  ClassMetrics macro, weighted;
  int total = 0;
  std::string Format(int digits = 4) const;
  nlohmann::json ToJson() const;
  // Non-empty when some class that occurs is never predicted (recall 0): the
  // classifier has collapsed to the other class(es).
  std::string DegenerateWarning() const;
};

// REQUIRES: y_true.size() == y_pred.size(); labels in [0, names.size()).
Report ClassificationReport(const std::vector<int>& y_true, const std::vector<int>& y_pred,
                            const std::vector<std::string>& names);

}  // namespace mote::train

#endif  // MOTE_HOST_TRAIN_METRICS_H_
