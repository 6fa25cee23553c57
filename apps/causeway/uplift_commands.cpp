// The uplift commands: `uplift` (fit a causal forest, or judge a given score) and `score`
// (apply a saved model to new customers).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <utility>

#include "causeway/uplift/model.h"
#include "command_support.h"
#include "commands.h"
#include "core/atomic_file.h"
#include "forest/causal_forest.h"

namespace causeway::cli {

namespace {

// The scores file: id, predicted uplift, its 95 % interval and decile, one row per customer.
std::string scores_csv(const std::string& id_column, const std::vector<std::string>& ids,
                       const std::vector<double>& tau, const std::vector<double>& se,
                       const std::vector<int>& decile, const std::vector<char>& held_out = {}) {
  // With --holdout a last column says which customers the targeting figures were judged on.
  const bool split =
      !held_out.empty() && std::find(held_out.begin(), held_out.end(), 1) != held_out.end();
  std::string out =
      fmt::format("{},predicted_uplift,ci_low,ci_high,uplift_decile{}\n",
                  id_column.empty() ? std::string("row") : id_column, split ? ",held_out" : "");
  constexpr double z = 1.959963984540054;
  for (std::size_t i = 0; i < tau.size(); ++i) {
    std::string id = ids[i];
    if (id.find_first_of(",\"\n\r") != std::string::npos) {  // quoted as CSV needs
      std::string quoted = "\"";
      for (char c : id) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
      id = quoted + "\"";
    }
    // Meta-learners give no interval: its fields stay empty rather than hold a made-up number.
    // Numbers in full (shortest exact form): an outcome in small units has effects of 1e-8.
    const std::string interval =
        se.empty() ? "," : fmt::format("{},{}", tau[i] - z * se[i], tau[i] + z * se[i]);
    out += fmt::format("{},{},{},{}{}\n", id, tau[i], interval, decile[i],
                       split ? (held_out[i] ? ",1" : ",0") : "");
  }
  return out;
}

// The id of each analysed row: its id-column value, or its row number in the file.
std::vector<std::string> row_ids(const AnalysisData& data) {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < data.rows(); ++i)
    ids.push_back(data.row_ids.empty() ? std::to_string(data.source_row(i) + 1) : data.row_ids[i]);
  return ids;
}

// How the model will read each feature's column in new data.
std::vector<FeatureColumn> feature_columns(const Table& table,
                                           const std::vector<std::string>& features) {
  std::vector<FeatureColumn> out;
  for (const auto& name : features) {
    const Column* c = table.find(name);
    if (c == nullptr) continue;
    FeatureColumn f{name, c->kind == ColumnKind::kCategorical, {}};
    if (f.categorical) f.levels = c->levels;
    out.push_back(std::move(f));
  }
  return out;
}

// The uplift sample: treatment, outcome and `covariates` (features and controls, or the score)
// from the data file. The sample builder's messages speak of common causes; for the forest they
// are reworded to its roles.
// One --nuisance-columns column: numbers, none missing; a treatment probability strictly between
// 0 and 1 (a customer certain to be treated, or not, has no one to be compared with).
std::vector<double> prediction_column(const Table& table, const std::string& name,
                                      bool probability) {
  const Column* c = table.find(name);
  if (c->kind == ColumnKind::kCategorical)
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: --nuisance-columns '{}' holds text ('{}', row {}); it must hold "
                            "the predictions as numbers",
                            table.source, name, c->first_non_number, c->first_non_number_row));
  for (std::size_t r = 0; r < c->values.size(); ++r) {
    const double v = c->values[r];
    if (std::isnan(v) || (probability && !(v > 0 && v < 1)))
      throw Error(ErrorCode::kBadInput,
                  fmt::format("{}: --nuisance-columns '{}', {}: {}; every customer needs a "
                              "prediction{}",
                              table.source, name, table.row_name(r),
                              std::isnan(v) ? "missing" : fmt::format("{} is not a probability", v),
                              probability ? " of being treated strictly between 0 and 1 (at 0 or "
                                            "1 the customer has no comparison: positivity fails)"
                                          : ""));
  }
  return {c->values.begin(), c->values.end()};
}

AnalysisData uplift_sample(
    const UpliftArgs& args, const std::vector<std::string>& covariates, std::string& id_column,
    std::vector<FeatureColumn>* columns = nullptr,
    std::optional<std::pair<Eigen::VectorXd, Eigen::VectorXd>>* given = nullptr) {
  CsvOptions csv = csv_options(static_cast<const LoadArgs&>(args));
  csv.keep = {args.treatment, args.outcome};
  std::vector<std::string> wanted = covariates;
  wanted.insert(wanted.end(), args.nuisance_columns.begin(), args.nuisance_columns.end());
  for (const auto& c : wanted)
    if (std::find(csv.keep.begin(), csv.keep.end(), c) == csv.keep.end()) csv.keep.push_back(c);
  Table table = load_table(args.data, csv);
  id_column = table.id_column;
  std::vector<double> y_hat, w_hat;
  if (!args.nuisance_columns.empty()) {
    y_hat = prediction_column(table, args.nuisance_columns[0], false);
    w_hat = prediction_column(table, args.nuisance_columns[1], true);
  }
  if (columns != nullptr) *columns = feature_columns(table, args.features);
  AnalysisSpec spec;
  spec.treatment = args.treatment;
  spec.outcome = args.outcome;
  spec.covariates = covariates;
  if (!args.treated_value.empty()) spec.treated_value = args.treated_value;
  if (!args.control_value.empty()) spec.control_value = args.control_value;
  spec.drop_missing = args.drop_missing;
  auto prepared = prepare_analysis(std::move(table), spec);
  if (!prepared.ok() && args.score.empty()) {
    std::string m = prepared.status().message();
    const std::string role = "--features/--controls";
    for (const std::string from : {"--common-causes", "the common causes"})
      for (std::size_t at; (at = m.find(from)) != std::string::npos;)
        m.replace(at, from.size(), role);
    throw Error(prepared.status().code(), m);
  }
  AnalysisData data = unwrap(std::move(prepared));
  // An outcome far from 0 for its spread is modelled less its midpoint, as estimate does: the
  // effects are the same numbers, and its sums keep their digits.
  if (auto near_zero = with_outcome_near_zero(data)) data = std::move(*near_zero);
  if (given != nullptr && !y_hat.empty()) {  // the predictions of the rows analysed
    Eigen::VectorXd y(static_cast<Eigen::Index>(data.rows())), w(y.size());
    for (std::size_t i = 0; i < data.rows(); ++i)
      y[static_cast<Eigen::Index>(i)] = y_hat[data.source_row(i)] - data.outcome_shift,
      w[static_cast<Eigen::Index>(i)] = w_hat[data.source_row(i)];
    *given = std::pair{std::move(y), std::move(w)};
  }
  return data;
}

// uplift --score: the given score judged by decile, cumulative lift and Qini.
void evaluate_score(const UpliftArgs& args) {
  std::string id_column;
  const AnalysisData data = uplift_sample(args, {args.score}, id_column);
  if (data.x.cols() == 0)
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: --score '{}' is constant: every customer has the same score, so "
                            "there is nothing to rank",
                            args.data, args.score));
  if (data.x.cols() != 1)
    throw Error(ErrorCode::kBadInput,
                fmt::format("{}: --score '{}' must be one numeric column of scores (a text "
                            "column becomes one column per level)",
                            args.data, args.score));
  ScoreEvaluation evaluation =
      unwrap(evaluate_scores(data.x.col(0), data.t, data.y, args.outcome, args.metric == "qini"));
  for (auto& d : evaluation.deciles)  // the arms' means on the outcome's own scale
    for (auto* mean : {&d.rate_treated, &d.rate_control})
      if (*mean) **mean += data.outcome_shift;
  print_report(evaluation, args.json);
}

}  // namespace

void run_uplift(const UpliftArgs& given) {
  UpliftArgs args = given;
  // An option the chosen path cannot use is refused rather than silently ignored.
  const auto refuse = [&](std::initializer_list<const char*> names, const std::string& why) {
    for (const char* name : names)
      if (args.given.count(name))
        throw Error(ErrorCode::kBadInput, fmt::format("{} {}", name, why));
  };
  if (!args.score.empty()) {
    if (!args.features.empty() || args.out_given)
      throw Error(ErrorCode::kBadInput,
                  "--score judges a given score: it takes no --features and writes no --out");
    refuse({"--trees", "--min-node-size", "--min-split-gain", "--method", "--base", "--nuisance",
            "--holdout", "--budget", "--controls", "--save-model", "--report"},
           "has no use with --score, which judges a given score and fits no model");
    return evaluate_score(args);
  }
  if (args.options.method == "forest")
    refuse({"--base"}, "sets the meta-learners' base models (--method t, s, x or dr)");
  else
    refuse({"--trees", "--min-node-size", "--min-split-gain"},
           "applies to the forest (--method forest) only");
  if (args.metric_given)
    throw Error(ErrorCode::kBadInput,
                "--metric judges a given --score; without --score the forest's deciles, Qini and "
                "AUUC are all printed");
  if (args.features.empty())
    throw Error(ErrorCode::kBadInput,
                "uplift needs --features (the effect modifiers for the forest), or --score to "
                "judge a given score");
  if (!args.out.empty() || args.out_given) check_output_path(args.out, {args.data});
  if (!args.save_model.empty() || args.save_model_given) {
    if (args.options.method != "forest")
      throw Error(ErrorCode::kBadInput,
                  "--save-model saves the causal forest; meta-learners cannot be saved yet (drop "
                  "--save-model or use --method forest)");
    if (same_output(args.save_model, args.out))
      throw Error(ErrorCode::kBadInput,
                  "--save-model and --out name the same file; give each its own path");
    check_output_path(args.save_model, {args.data, args.out}, "--save-model");
  }
  const bool report_wanted = !args.report.empty() || args.report_given;
  if (report_wanted) {
    if (same_output(args.report, args.out) || same_output(args.report, args.save_model))
      throw Error(ErrorCode::kBadInput,
                  "--report names the same file as --out or --save-model; give each its own path");
    check_output_path(args.report, {args.data, args.out, args.save_model}, "--report");
  }
  trim_names(args.features);
  trim_names(args.controls);
  if (args.options.method == "forest" && args.options.trees % 2 != 0)
    throw Error(ErrorCode::kBadInput,
                "--trees must be even: trees are grown in pairs for the intervals");
  std::vector<std::string> covariates = args.features;
  covariates.insert(covariates.end(), args.controls.begin(), args.controls.end());
  std::string id_column;
  std::vector<FeatureColumn> columns;
  UpliftOptions options = args.options;
  if (!args.nuisance_columns.empty()) {
    trim_names(args.nuisance_columns);
    if (args.nuisance_columns.size() != 2)
      throw Error(ErrorCode::kBadInput,
                  "--nuisance-columns takes two columns: the outcome's predictions, then the "
                  "treatment's (Y_HAT,W_HAT)");
    refuse({"--nuisance"}, "and --nuisance-columns both choose the nuisance models; give one");
    if (args.nuisance_columns[0] == args.nuisance_columns[1])
      throw Error(ErrorCode::kBadInput,
                  "--nuisance-columns names one column twice; give the outcome's predictions, "
                  "then the treatment's");
    for (const auto& name : args.nuisance_columns)
      if (std::find(covariates.begin(), covariates.end(), name) != covariates.end() ||
          name == args.treatment || name == args.outcome)
        throw Error(ErrorCode::kBadInput,
                    fmt::format("--nuisance-columns '{}' is also the treatment, the outcome, a "
                                "feature or a control; the predictions need their own columns",
                                name));
  }
  const AnalysisData data =
      uplift_sample(args, covariates, id_column, &columns, &options.given_nuisance);
  // The encoded columns of the features: "plan" becomes "plan=pro", ...
  for (const auto& name : data.x_names)
    for (const auto& f : args.features)
      if (name == f || name.rfind(f + "=", 0) == 0) options.features.push_back(name);
  if (options.features.empty())
    throw Error(ErrorCode::kBadInput,
                "none of --features is left after encoding (constant or duplicated columns are "
                "dropped); give features that vary");
  Progress progress(!args.quiet);
  if (args.options.method == "forest")
    options.progress = [&progress](int done, int total) { progress("causal forest", done, total); };
  UpliftReport report = unwrap(run_uplift(data, options));
  if (options.given_nuisance) {  // what the forest's centring clips, said
    const Eigen::VectorXd& w = options.given_nuisance->second;
    const auto clipped = (w.array() < 0.01 || w.array() > 0.99).count();
    if (clipped > 0)
      report.warnings.push_back(fmt::format(
          "{} of {} treatment predictions (--nuisance-columns '{}') are below 0.01 or above 0.99 "
          "and were used as 0.01 or 0.99; so near-certain treatment leaves little overlap: "
          "check `causeway diagnose`",
          clipped, w.size(), args.nuisance_columns[1]));
  }
  progress.finish();
  // Both files are complete in memory before either is written.
  std::optional<AtomicFile> scores, model;
  if (!args.out.empty() || args.out_given) {
    scores.emplace(args.out);
    scores->write(scores_csv(id_column, row_ids(data), report.tau, report.se, report.decile,
                             report.held_out));
  }
  if (!args.save_model.empty() || args.save_model_given) {
    UpliftModel m{CAUSEWAY_VERSION, data.treatment, data.outcome,     data.source,
                  data.rows(),      columns,        options.features, report.forest};
    model.emplace(args.save_model);
    model->write(model_bytes(m));
  }
  std::optional<AtomicFile> html;
  if (report_wanted) {
    HtmlReport page;
    page.uplift = &report;
    html.emplace(args.report);
    html->write(render_html(page));
  }
  if (scores) scores->commit();
  if (model) model->commit();
  if (html) html->commit();
  print_report(report, args.json);
}

void run_score(const ScoreArgs& args) {
  if (args.json && args.out.empty() && !args.out_given)
    throw Error(ErrorCode::kBadInput,
                "--json prints the summary of a run that writes the scores with --out; without "
                "--out the scores themselves go to standard output as CSV");
  if (!args.out.empty() || args.out_given) check_output_path(args.out, {args.data, args.model});
  const UpliftModel model = unwrap(read_model(args.model));
  CsvOptions csv = csv_options(static_cast<const LoadArgs&>(args));
  for (const auto& c : model.columns) {
    csv.keep.push_back(c.name);
    if (c.categorical) csv.categorical.insert(c.name);  // "1" stays a level, as in training
  }
  const Table table = load_table(args.data, csv);
  const ScoredCustomers s = unwrap(score_customers(model, table));
  std::vector<std::string> ids;
  for (std::size_t r = 0; r < table.rows; ++r)
    ids.push_back(table.row_ids.empty() ? std::to_string(r + 1) : table.row_ids[r]);
  const std::string csv_text = scores_csv(table.id_column, ids, s.tau, s.se, s.decile);
  // Scores are joined back by id: an id that repeats or is empty cannot be joined.
  std::vector<std::string> warnings;
  if (!model.forest->has_splits())
    warnings.push_back(
        "the model's forest made no split: every customer gets about the same effect, and the "
        "deciles follow row order, not who gains more");
  {
    std::map<std::string, std::size_t> seen;
    std::size_t repeated = 0, empty = 0;
    for (const auto& id : table.row_ids) repeated += seen[id]++ == 1, empty += id.empty();
    if (repeated > 0)
      warnings.push_back(fmt::format(
          "{} id{} of column '{}' appear{} more than once; the scores cannot be "
          "joined back by id alone",
          repeated, repeated == 1 ? "" : "s", table.id_column, repeated == 1 ? "s" : ""));
    if (empty > 0)
      warnings.push_back(fmt::format("{} customer{} an empty '{}'", empty,
                                     empty == 1 ? " has" : "s have", table.id_column));
  }
  if (args.out.empty() && !args.out_given) {  // the scores on standard output, warnings apart
    write_out(csv_text);
    for (const auto& w : warnings) std::fprintf(stderr, "causeway: warning: %s\n", w.c_str());
    return;
  }
  AtomicFile file(args.out);
  file.write(csv_text);
  file.commit();
  std::size_t hurt = 0;
  double mean = 0;
  for (std::size_t r = 0; r < table.rows; ++r)
    mean += s.tau[r], hurt += s.tau[r] + 1.959963984540054 * s.se[r] < 0;
  mean /= static_cast<double>(table.rows);
  nlohmann::json j = {{"model", args.model},
                      {"trained_on", model.source},
                      {"trained_rows", model.training_rows},
                      {"trained_by", model.causeway_version},
                      {"rows", table.rows},
                      {"mean_predicted_uplift", mean},
                      {"share_hurt", static_cast<double>(hurt) / static_cast<double>(table.rows)},
                      {"out", args.out},
                      {"warnings", warnings}};
  if (args.json) {
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  std::printf(
      "scored %zu customers of %s with the model %s (%s -> %s, trained on %zu rows of %s by "
      "causeway %s)\nmean predicted uplift %.4f; %.1f %% with a whole interval below 0\nwrote "
      "%s\n",
      table.rows, table.source.c_str(), args.model.c_str(), model.treatment.c_str(),
      model.outcome.c_str(), model.training_rows, model.source.c_str(),
      model.causeway_version.c_str(), mean,
      100.0 * static_cast<double>(hurt) / static_cast<double>(table.rows), args.out.c_str());
  for (const auto& w : warnings) std::printf("warning: %s\n", w.c_str());
}

}  // namespace causeway::cli
