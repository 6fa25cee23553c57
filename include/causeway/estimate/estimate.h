// Effect estimators and the registry that names them.
//
// estimate_effect() runs one method by name on an AnalysisData and returns an Estimate: the
// number, its standard error and 95 % interval, the units used per arm and what the number does
// and does not answer. Methods: naive, regression, matching, stratification, ipw, aipw (see
// methods()). Propensity-based methods refuse (kNotIdentifiable) an estimand whose positivity
// fails, naming the covariate region responsible; they never return NaN or infinity.
// With options.bootstrap > 0 the standard error and interval come from that many resamples,
// replicate i seeded with seed + i and run in parallel, so results do not depend on the thread
// count. Thread-safe: calls share nothing.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "causeway/data/analysis_data.h"
#include "causeway/learn/propensity.h"
#include "causeway/status.h"

namespace causeway {

enum class Target { kAtt, kAtc, kAte };
const char* target_name(Target target);   // "att", "atc", "ate"
std::string target_label(Target target);  // "ATT", "ATC", "ATE"
std::optional<Target> parse_target(const std::string& name);

enum class MatchDistance { kPropensity, kLogit };
enum class CaliperScale { kStandardDeviations, kAbsolute };

struct MatchingOptions {
  int k = 1;             // controls per treated unit (1:k)
  bool replace = false;  // with replacement: ties at the k-th distance share the match
  double caliper = 0.0;  // 0: no caliper
  CaliperScale caliper_scale = CaliperScale::kStandardDeviations;  // SDs of the distance
  MatchDistance distance = MatchDistance::kPropensity;
  // false: the true nearest neighbour. true: the nearest at or below the focal unit's score,
  // else above -- what MatchIt 4.5.1 computes (its C++ compares distances through an integer
  // abs()); offered only to reproduce numbers published with that version.
  bool below_first = false;
};

struct EstimateOptions {
  Target target = Target::kAtt;
  MatchingOptions matching;
  int strata = 5;     // stratification: propensity quantile strata
  double trim = 0.0;  // ipw/aipw: drop units with score outside [trim, 1 - trim]
  int folds = 5;      // aipw: cross-fitting folds
  int repeats = 1;    // aipw: cross-fitting splits; more than 1 takes the median over them
  int bootstrap = 0;  // 0: analytic standard errors (a method's own default, e.g. frontdoor's
                      // 500 replicates); -1: analytic only, never a bootstrap
  std::uint64_t seed = 42;
  int threads = 0;  // 0: all available
  PropensityOptions propensity;
};

struct Estimate {
  std::string method;
  Target target = Target::kAtt;
  std::string estimand;  // "ATT: ..." in words
  double estimate = 0, se = 0, ci_low = 0, ci_high = 0;
  std::string se_method;      // how the standard error was computed
  std::size_t n_treated = 0;  // units used per arm
  std::size_t n_control = 0;
  std::string answers;                // one line: the question this number answers
  std::string misses;                 // one line: what it cannot see
  std::vector<std::string> notes;     // facts about this run (matches, trimming, tie rule, ...)
  std::vector<std::string> warnings;  // things the user should act on
  nlohmann::json details = nlohmann::json::object();  // extra figures for machines
};

struct MethodInfo {
  std::string name;
  std::string summary;
  bool uses_propensity;
  int default_bootstrap = 0;  // replicates when --bootstrap is not given; 0: analytic interval
};

// Every method, in the order `estimate` runs them by default.
const std::vector<MethodInfo>& methods();
// "naive, regression, ..." for error messages.
std::string method_list();

// Runs `method`. `propensity` may pass a model already fitted on `data` (it is refitted when
// absent, and always inside bootstrap replicates and aipw's cross-fitting). `spent_scores`, when
// given, is propensity->score and nothing reads it after this method: matching frees it once its
// arms are sorted (8 MB at a million rows, at the run's peak of memory).
Result<Estimate> estimate_effect(const std::string& method, const AnalysisData& data,
                                 const EstimateOptions& options,
                                 const PropensityModel* propensity = nullptr,
                                 Eigen::VectorXd* spent_scores = nullptr);

// The 95 % normal interval: estimate +- 1.96 se.
void set_normal_interval(Estimate& e);

}  // namespace causeway
