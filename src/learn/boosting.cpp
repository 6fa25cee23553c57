#include "causeway/learn/boosting.h"

#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "causeway/rng.h"
#include "core/folds.h"
#include "learn/xgboost_api.h"

namespace causeway {

namespace detail {

struct Booster {
  BoosterHandle handle = nullptr;
  std::mutex predict_lock;  // the library reuses one output buffer per model

  ~Booster() {
    if (handle != nullptr) xgboost_api().XGBoosterFree(handle);
  }
};

}  // namespace detail

namespace {

using Rows = std::span<const Eigen::Index>;

// Turns a failed library call into an Error carrying the library's message for this thread.
void check(int rc, const char* call) {
  if (rc != 0)
    throw Error(ErrorCode::kNumericalFailure, fmt::format("gradient boosting failed in {}: {}",
                                                          call, xgboost_api().XGBGetLastError()));
}

// The library keeps its logging level per thread, so every thread that calls it is silenced.
void silence_library() {
  check(xgboost_api().XGBSetGlobalConfig(R"({"verbosity": 0})"), "XGBSetGlobalConfig");
}

// A library data matrix, freed on scope exit.
class DataMatrix {
 public:
  DataMatrix(const std::vector<float>& row_major, std::size_t rows, Eigen::Index cols) {
    // One thread: the matrix's construction must not depend on the machine's core count.
    check(xgboost_api().XGDMatrixCreateFromMat_omp(
              row_major.data(), rows, static_cast<bst_ulong>(cols),
              std::numeric_limits<float>::quiet_NaN(), &handle_, 1),
          "XGDMatrixCreateFromMat_omp");
  }
  ~DataMatrix() { xgboost_api().XGDMatrixFree(handle_); }
  DataMatrix(const DataMatrix&) = delete;
  DataMatrix& operator=(const DataMatrix&) = delete;
  DMatrixHandle get() const { return handle_; }

 private:
  DMatrixHandle handle_ = nullptr;
};

void check_options(const BoostingOptions& o) {
  auto refuse = [](const char* name, double value, const char* range) {
    throw Error(
        ErrorCode::kBadInput,
        fmt::format("boosting option {} = {} is out of range; it must be {}", name, value, range));
  };
  if (o.rounds < 1) refuse("rounds", o.rounds, "at least 1");
  if (o.max_depth < 1) refuse("max_depth", o.max_depth, "at least 1");
  if (!(o.learning_rate > 0 && o.learning_rate <= 1))
    refuse("learning_rate", o.learning_rate, "in (0, 1]");
  if (!(o.subsample > 0 && o.subsample <= 1)) refuse("subsample", o.subsample, "in (0, 1]");
  if (!(o.colsample > 0 && o.colsample <= 1)) refuse("colsample", o.colsample, "in (0, 1]");
  if (!(o.min_child_weight >= 0 && std::isfinite(o.min_child_weight)))
    refuse("min_child_weight", o.min_child_weight, "finite and at least 0");
  if (!(o.lambda >= 0 && std::isfinite(o.lambda)))
    refuse("lambda", o.lambda, "finite and at least 0");
}

// Every value must survive the conversion to single precision as a finite number.
template <class Derived>
void check_values(const Eigen::DenseBase<Derived>& m, const char* name) {
  constexpr double kFloatMax = std::numeric_limits<float>::max();
  auto where = [&](Eigen::Index i, Eigen::Index j) {
    return Derived::ColsAtCompileTime == 1 ? fmt::format("{}({})", name, i)
                                           : fmt::format("{}({}, {})", name, i, j);
  };
  for (Eigen::Index j = 0; j < m.cols(); ++j)
    for (Eigen::Index i = 0; i < m.rows(); ++i) {
      const double v = m(i, j);
      if (!std::isfinite(v))
        throw Error(ErrorCode::kBadInput,
                    fmt::format("boosting: {} is {}; remove or impute missing and infinite "
                                "values first",
                                where(i, j), v));
      if (std::abs(v) > kFloatMax)
        throw Error(ErrorCode::kBadInput,
                    fmt::format("boosting: {} = {} is beyond single precision's range (about "
                                "3.4e38); rescale it",
                                where(i, j), v));
    }
}

void check_data(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, BoostObjective objective) {
  if (x.rows() != y.size())
    throw Error(ErrorCode::kBadInput,
                fmt::format("boosting: x has {} rows but y has {} values", x.rows(), y.size()));
  if (x.rows() == 0 || x.cols() == 0)
    throw Error(ErrorCode::kBadInput,
                fmt::format("boosting needs at least one row and one column (x is {} x {})",
                            x.rows(), x.cols()));
  check_values(x, "x");
  check_values(y, "y");
  if (objective == BoostObjective::kLogistic)
    for (Eigen::Index i = 0; i < y.size(); ++i)
      if (y[i] != 0 && y[i] != 1)
        throw Error(ErrorCode::kBadInput,
                    fmt::format("logistic boosting needs a 0/1 outcome; y({}) is {}", i, y[i]));
}

// The chosen rows of x, row after row, in single precision.
std::vector<float> gather(const Eigen::MatrixXd& x, Rows rows) {
  const auto p = static_cast<std::size_t>(x.cols());
  std::vector<float> out(rows.size() * p);
  for (std::size_t r = 0; r < rows.size(); ++r)
    for (std::size_t j = 0; j < p; ++j)
      out[r * p + j] = static_cast<float>(x(rows[r], static_cast<Eigen::Index>(j)));
  return out;
}

// The starting prediction: the outcome's mean (for logistic, its share of 1s), so the trees fit
// deviations from it instead of spending rounds on the overall level.
double base_score(const std::vector<float>& labels, BoostObjective objective) {
  double sum = 0;
  for (float v : labels) sum += v;
  const double mean = sum / static_cast<double>(labels.size());
  if (objective == BoostObjective::kLogistic && (mean == 0 || mean == 1))
    throw Error(ErrorCode::kBadInput,
                fmt::format("logistic boosting needs both outcomes; the {} training rows are all "
                            "{}",
                            labels.size(), mean));
  return mean;
}

void set_parameters(BoosterHandle booster, BoostObjective objective, const BoostingOptions& o,
                    double base) {
  // The library reads its seed as a signed integer: a mix of the 64-bit seed to 31 bits keeps
  // every seed valid and distinct seeds distinct but for chance collisions.
  const std::uint64_t seed = Rng(o.seed).next() >> 33;
  const std::pair<const char*, std::string> parameters[] = {
      {"objective",
       objective == BoostObjective::kLogistic ? "binary:logistic" : "reg:squarederror"},
      {"tree_method", "hist"},
      {"nthread", "1"},
      {"verbosity", "0"},
      {"max_depth", std::to_string(o.max_depth)},
      {"eta", fmt::format("{}", o.learning_rate)},
      {"subsample", fmt::format("{}", o.subsample)},
      {"colsample_bytree", fmt::format("{}", o.colsample)},
      {"min_child_weight", fmt::format("{}", o.min_child_weight)},
      {"lambda", fmt::format("{}", o.lambda)},
      {"seed", std::to_string(seed)},
      {"base_score", fmt::format("{}", base)},
  };
  for (const auto& [name, value] : parameters)
    check(xgboost_api().XGBoosterSetParam(booster, name, value.c_str()), "XGBoosterSetParam");
}

// Fits a model to the chosen rows; the data must have passed check_data.
std::unique_ptr<detail::Booster> fit_rows(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                          Rows rows, BoostObjective objective,
                                          const BoostingOptions& options) {
  std::vector<float> labels(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) labels[r] = static_cast<float>(y[rows[r]]);
  const double base = base_score(labels, objective);
  silence_library();
  const DataMatrix train(gather(x, rows), rows.size(), x.cols());
  check(xgboost_api().XGDMatrixSetFloatInfo(train.get(), "label", labels.data(), labels.size()),
        "XGDMatrixSetFloatInfo");
  auto booster = std::make_unique<detail::Booster>();
  const DMatrixHandle cached[] = {train.get()};
  check(xgboost_api().XGBoosterCreate(cached, 1, &booster->handle), "XGBoosterCreate");
  set_parameters(booster->handle, objective, options, base);
  for (int round = 0; round < options.rounds; ++round)
    check(xgboost_api().XGBoosterUpdateOneIter(booster->handle, round, train.get()),
          "XGBoosterUpdateOneIter");
  return booster;
}

// Predictions for the chosen rows, in their order.
std::vector<double> predict_rows(detail::Booster& booster, const Eigen::MatrixXd& x, Rows rows) {
  if (rows.empty()) return {};
  silence_library();
  const DataMatrix data(gather(x, rows), rows.size(), x.cols());
  constexpr const char* kConfig =
      R"({"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0,)"
      R"( "strict_shape": false})";
  const bst_ulong* shape = nullptr;
  bst_ulong dims = 0;
  const float* values = nullptr;
  const std::lock_guard lock(booster.predict_lock);
  check(xgboost_api().XGBoosterPredictFromDMatrix(booster.handle, data.get(), kConfig, &shape,
                                                  &dims, &values),
        "XGBoosterPredictFromDMatrix");
  if (dims != 1 || shape[0] != rows.size())
    throw Error(ErrorCode::kInternal,
                fmt::format("boosting returned {} dimension(s) for {} rows", dims, rows.size()));
  return std::vector<double>(values, values + rows.size());
}

std::vector<Eigen::Index> all_rows(Eigen::Index n) {
  std::vector<Eigen::Index> rows(static_cast<std::size_t>(n));
  std::iota(rows.begin(), rows.end(), Eigen::Index{0});
  return rows;
}

// Fits fold f's model on the other folds and writes its predictions for fold f into `out`.
void cross_fit_fold(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                    const std::vector<int>& fold, int f, BoostObjective objective,
                    const BoostingOptions& options, Eigen::VectorXd& out) {
  std::vector<Eigen::Index> train, held_out;
  for (std::size_t i = 0; i < fold.size(); ++i)
    (fold[i] == f ? held_out : train).push_back(static_cast<Eigen::Index>(i));
  BoostingOptions own = options;
  own.seed = options.seed + static_cast<std::uint64_t>(f);
  const auto booster = fit_rows(x, y, train, objective, own);
  const std::vector<double> predicted = predict_rows(*booster, x, held_out);
  for (std::size_t r = 0; r < held_out.size(); ++r) out[held_out[r]] = predicted[r];
}

}  // namespace

BoostedModel::BoostedModel(std::unique_ptr<detail::Booster> booster, BoostObjective objective,
                           Eigen::Index features)
    : booster_(std::move(booster)), objective_(objective), features_(features) {}
BoostedModel::BoostedModel(BoostedModel&&) noexcept = default;
BoostedModel& BoostedModel::operator=(BoostedModel&&) noexcept = default;
BoostedModel::~BoostedModel() = default;

Result<BoostedModel> BoostedModel::fit(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                       BoostObjective objective, const BoostingOptions& options) {
  return guarded([&]() -> BoostedModel {
    check_options(options);
    check_data(x, y, objective);
    const std::vector<Eigen::Index> rows = all_rows(x.rows());
    return BoostedModel(fit_rows(x, y, rows, objective, options), objective, x.cols());
  });
}

Result<Eigen::VectorXd> BoostedModel::predict(const Eigen::MatrixXd& x) const {
  return guarded([&]() -> Eigen::VectorXd {
    if (!booster_) throw Error(ErrorCode::kInternal, "boosting: predict() on a moved-from model");
    if (x.cols() != features_)
      throw Error(ErrorCode::kBadInput,
                  fmt::format("boosting: the model was fitted on {} columns but x has {}",
                              features_, x.cols()));
    check_values(x, "x");
    const std::vector<double> p = predict_rows(*booster_, x, all_rows(x.rows()));
    return Eigen::Map<const Eigen::VectorXd>(p.data(), x.rows());
  });
}

Result<Eigen::VectorXd> cross_fit_boosting(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                           BoostObjective objective, int folds, std::uint64_t seed,
                                           const BoostingOptions& options, int threads) {
  return guarded([&]() -> Eigen::VectorXd {
    check_options(options);
    check_data(x, y, objective);
    if (folds < 2 || folds > x.rows())
      throw Error(ErrorCode::kBadInput,
                  fmt::format("cross-fitting needs at least 2 folds and no more folds than "
                              "rows ({}); got {}",
                              x.rows(), folds));
    const std::vector<int> fold = assign_folds(static_cast<std::size_t>(x.rows()), folds, seed);
    Eigen::VectorXd out(x.rows());
    // An exception must not leave a parallel region: each fold's failure is kept, and the first
    // fold's failure is returned after the join.
    std::vector<std::optional<Status>> failure(static_cast<std::size_t>(folds));
    const int team = std::min(threads > 0 ? threads : omp_get_max_threads(), folds);
#pragma omp parallel for schedule(dynamic) num_threads(team)
    for (int f = 0; f < folds; ++f) {
      auto done = guarded([&] {
        cross_fit_fold(x, y, fold, f, objective, options, out);
        return true;
      });
      if (!done.ok()) failure[static_cast<std::size_t>(f)] = done.status();
    }
    for (int f = 0; f < folds; ++f)
      if (const auto& s = failure[static_cast<std::size_t>(f)])
        throw Error(s->code(),
                    fmt::format("cross-fitting fold {} of {}: {}", f + 1, folds, s->message()));
    return out;
  });
}

}  // namespace causeway
