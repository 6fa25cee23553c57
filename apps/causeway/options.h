// Every command-line option of causeway, declared once: name, type, default, valid range and
// description live in options.cpp, from which CLI11 builds the help and the validation.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "causeway/connect/http_source.h"
#include "causeway/data/analysis_data.h"
#include "causeway/data/csv.h"
#include "causeway/estimate/estimate.h"
#include "causeway/refute/refute.h"
#include "causeway/sim/simulate.h"
#include "causeway/uplift/uplift.h"

namespace causeway::cli {

// How to read the data file: shared by every command that reads one.
struct LoadArgs {
  std::string data;
  std::string delimiter, id_column;
  std::vector<std::string> categorical;
};

struct EstimateArgs : LoadArgs {
  std::string treatment, outcome;
  std::vector<std::string> common_causes, methods;
  std::string treated_value, control_value;
  std::string target = "att";
  bool drop_missing = false;
  bool json = false;
  std::string out;
  bool out_given = false;  // --out "" is an error, not "no file"
  std::string report;      // --report FILE.html
  bool report_given = false;
  bool bootstrap_given = false;  // --bootstrap 0 asks for the analytic interval explicitly
  std::string color = "auto";
  std::string caliper_scale = "sd", distance = "propensity", neighbour = "nearest";
  std::string graph, adjustment = "default";
  std::vector<std::string> mediators, instruments;
  bool proceed_when_unidentifiable = false;
  EstimateOptions options;
};

struct DiagnoseArgs : EstimateArgs {
  bool overlap = false, balance = false;  // show only these sections (both when neither)
};

struct RefuteArgs : EstimateArgs {
  std::vector<std::string> refuters;
  std::string strength_treatment, strength_outcome;  // "0.1" or "0.05:0.3:0.05" (from:to:step)
  bool quiet = false;
  bool fail_on_fragile = false;  // analyze: exit 3 on a fragile verdict
  RefuteOptions refute;
};

struct UpliftArgs : LoadArgs {
  std::string treatment, outcome, treated_value, control_value, out;
  std::string score, metric = "deciles";  // judge a given score instead of fitting a forest
  bool metric_given = false;
  std::vector<std::string> features, controls;
  std::vector<std::string> nuisance_columns;  // Y_HAT,W_HAT: predictions made elsewhere
  bool drop_missing = false, json = false, quiet = false, out_given = false;
  std::string save_model, report;
  bool save_model_given = false, report_given = false;
  std::set<std::string> given;  // the forest and meta-learner options the user typed
  UpliftOptions options;
};

struct ScoreArgs : LoadArgs {
  std::string model, out;
  bool out_given = false, json = false;
};

struct DescribeArgs : LoadArgs {
  bool json = false;
};

struct IdentifyArgs : LoadArgs {
  std::string graph, treatment, outcome;
  std::vector<std::string> common_causes, instruments, effect_modifiers, adjust_for;
  std::string adjustment = "default";
  bool strict_names = false;
  bool json = false;
};

// `causeway signals`: interaction records to a per-customer table.
struct SignalsArgs {
  std::string input, mapping, out, outcomes, on, rejects;
  HttpSource http;  // with --url; its token is read from the variable named by --token-env
  std::string token_env, pagination = "cursor";
  std::size_t max_rejects = 0;
  bool json = false, insecure = false;
};

// `causeway push`: a scores CSV to a REST API, one request per row.
struct PushArgs {
  std::string scores, url_template, body, method = "PUT", id_column = "customer_id";
  std::string token_env, journal, resume, failures;
  bool dry_run = false, json = false, insecure = false;
  int retries = 5, concurrency = 4;
  double timeout_seconds = 30, rps = 0;
};

struct SimulateArgs {
  SimulationOptions options;
  std::string out;
};

void add_load_options(CLI::App& app, LoadArgs& args, bool data_required);
void add_estimate_options(CLI::App& app, EstimateArgs& args, bool data_required);
void add_describe_options(CLI::App& app, DescribeArgs& args);
void add_simulate_options(CLI::App& app, SimulateArgs& args);
void add_identify_options(CLI::App& app, IdentifyArgs& args);
void add_uplift_options(CLI::App& app, UpliftArgs& args);
void add_score_options(CLI::App& app, ScoreArgs& args);
void add_diagnose_options(CLI::App& app, DiagnoseArgs& args);
void add_signals_options(CLI::App& app, SignalsArgs& args);
// --timeout and --retries of HTTP requests; `prefix` starts their help ("--url: ").
void add_retry_options(CLI::App& app, int& retries, double& timeout_seconds,
                       const std::string& prefix);
// --concurrency and --rps of push.
void add_rate_options(CLI::App& app, int& concurrency, double& rps);
void add_push_options(CLI::App& app, PushArgs& args);  // in push_command.cpp
// The estimate options plus the refuters'.
void add_refute_options(CLI::App& app, RefuteArgs& args, bool data_required);
// The refuters' options from the parsed arguments (strength grids parsed and checked).
RefuteOptions refute_options(const RefuteArgs& args);

// "a, b" and "a,b" name the same columns: strips spaces around each name.
void trim_names(std::vector<std::string>& names);

// Validated library inputs from the parsed arguments; throw Error(kBadInput) with the option name.
AnalysisSpec analysis_spec(const EstimateArgs& args);
CsvOptions csv_options(const LoadArgs& args);      // every column
CsvOptions csv_options(const EstimateArgs& args);  // only the columns the analysis uses
EstimateOptions estimate_options(const EstimateArgs& args);

}  // namespace causeway::cli
