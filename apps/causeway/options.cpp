#include "options.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace causeway::cli {

namespace {

// A comma-separated list option ("--features a,b,c", or repeated). Each occurrence takes one
// argument, so a list never swallows the data file that follows it.
CLI::Option* add_list(CLI::App& app, const std::string& name, std::vector<std::string>& values,
                      const std::string& description) {
  return app.add_option(name, values, description)
      ->delimiter(',')
      ->allow_extra_args(false)
      ->check(CLI::Validator(
          [](std::string& v) -> std::string {
            if (v.find_first_not_of(" \t") == std::string::npos)
              return "an empty name (an empty variable, or a blank between commas?)";
            // "--common-causes , --json": the list was empty and took the next option
            if (v.starts_with("--"))
              return "'" + v + "' is an option, not a name: the list before it is empty";
            return "";
          },
          "NAME"));
}

const char* kTargetHelp = "estimand: att (effect on the treated), atc, ate";

// A number within [low, high], in one check with one message (CLI11's Range beside a number check
// printed both: "(must be a finite number) AND (Value abc not in range ...)"), and not NaN,
// which CLI11's Range lets through.
CLI::Validator number_in(double low, double high) {
  return CLI::Validator(
      [low, high](const std::string& v) -> std::string {
        char* end = nullptr;
        const double x = std::strtod(v.c_str(), &end);
        if (end == v.c_str() || *end != '\0' || !std::isfinite(x))
          return fmt::format("'{}' is not a number; give one from {} to {}", v, low, high);
        if (x < low || x > high) return fmt::format("{} is outside {} to {}", v, low, high);
        return "";
      },
      fmt::format("NUMBER in [{} - {}]", low, high));
}

// A whole number within [low, high] ("1.5" is refused as not whole, not as out of range).
template <class T>
CLI::Validator whole_in(T low, T high) {
  return CLI::Validator(
      [low, high](const std::string& v) -> std::string {
        long long x = 0;
        const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
        if (ec == std::errc::result_out_of_range)
          return fmt::format("{} is outside {} to {}", v, low, high);
        if (ec != std::errc() || ptr != v.data() + v.size())
          return fmt::format("'{}' is not a whole number; give one from {} to {}", v, low, high);
        if (x < static_cast<long long>(low) || x > static_cast<long long>(high))  // < 2^63
          return fmt::format("{} is outside {} to {}", v, low, high);
        return "";
      },
      fmt::format("INT in [{} - {}]", low, high));
}

// A seed is a whole number from 0 to 2^64 - 1, written out (no sign, no exponent).
const CLI::Validator kSeed(
    [](const std::string& v) {
      std::uint64_t x;
      const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
      return (ec == std::errc() && ptr == v.data() + v.size())
                 ? std::string()
                 : "must be a whole number from 0 to 18446744073709551615";
    },
    "SEED");

}  // namespace

void trim_names(std::vector<std::string>& names) {
  for (auto& n : names) {
    const auto first = n.find_first_not_of(" \t"), last = n.find_last_not_of(" \t");
    n = first == std::string::npos ? "" : n.substr(first, last - first + 1);
  }
}

void add_load_options(CLI::App& app, LoadArgs& a, bool data_required) {
  auto* data =
      app.add_option("data", a.data, "customer table (CSV with a header row; - for stdin)");
  if (data_required) data->required();
  add_list(app, "--categorical", a.categorical, "read these numeric-looking columns as levels");
  app.add_option("--delimiter", a.delimiter,
                 "field delimiter: ',' ';' '|' or 'tab' (default: detected from the header)")
      ->transform(CLI::Validator(
          [](std::string& v) -> std::string {
            if (v == "\\t") v = "tab";  // '\t' typed in quotes, the way many tools spell a tab
            if (v == "," || v == ";" || v == "|" || v == "tab" || v == "\t") return "";
            return "must be ',' ';' '|' or tab, not '" + v + "'";
          },
          "", "DELIMITER"))
      ->type_name("',' | ';' | '|' | tab");
  app.add_option("--id-column,--id", a.id_column,
                 "column naming rows in messages (default: id or *_id; - for none)");
}

void add_describe_options(CLI::App& app, DescribeArgs& a) {
  add_load_options(app, a, true);
  app.add_flag("--json", a.json, "print one JSON object instead of tables");
}

void add_estimate_options(CLI::App& app, EstimateArgs& a, bool data_required) {
  add_load_options(app, a, data_required);
  app.add_option("--treatment", a.treatment,
                 "treatment column: 0/1, true/false, yes/no, or any two values with "
                 "--treated-value/--control-value")
      ->required(data_required);
  app.add_option("--outcome", a.outcome, "outcome column (e.g. renew)")->required(data_required);
  add_list(app, "--common-causes", a.common_causes, "covariates to adjust for, comma-separated");
  app.add_option("--graph", a.graph,
                 "causal graph (DOT or GML) in place of --common-causes: the adjustment set, "
                 "mediators and instruments are read off it (see 'causeway identify')");
  app.add_option("--adjustment", a.adjustment,
                 "with --graph: backdoor set: default, minimal, maximal")
      ->check(CLI::IsMember({"default", "minimal", "maximal"}))
      ->capture_default_str();
  app.add_flag("--proceed-when-unidentifiable", a.proceed_when_unidentifiable,
               "with --graph: estimate even when the graph says no adjustment set is valid, "
               "adjusting for the observed variables that block the most paths (biased)");
  add_list(app, "--mediators", a.mediators, "frontdoor: the mediators, comma-separated");
  add_list(app, "--instruments", a.instruments, "iv: the instruments, comma-separated");
  add_list(app, "--method", a.methods,
           "methods, comma-separated: " + method_list() +
               " (default: naive,regression,matching,ipw,aipw)");
  app.add_option("--target", a.target, kTargetHelp)
      ->check(CLI::IsMember({"att", "atc", "ate"}))
      ->capture_default_str();
  app.add_option("--treated-value", a.treated_value, "treatment value of the treated arm");
  app.add_option("--control-value", a.control_value, "treatment value of the control arm");
  app.add_flag("--drop-missing", a.drop_missing, "drop rows with a missing value in a used column");
  auto& o = a.options;
  app.add_option("--k", o.matching.k, "matching: controls per treated unit")
      ->check(whole_in(1, 100))
      ->capture_default_str();
  app.add_flag("--replace", o.matching.replace, "matching: with replacement (Abadie-Imbens SE)");
  app.add_option("--caliper", o.matching.caliper, "matching: caliper, 0 = none")
      ->check(number_in(0.0, 1e6))
      ->capture_default_str();
  app.add_option("--caliper-scale", a.caliper_scale,
                 "matching: caliper unit: sd (SDs of the distance) or absolute")
      ->check(CLI::IsMember({"sd", "absolute"}))
      ->capture_default_str();
  app.add_option("--distance", a.distance, "matching: propensity or logit (of the propensity)")
      ->check(CLI::IsMember({"propensity", "logit"}))
      ->capture_default_str();
  app.add_option("--neighbour", a.neighbour,
                 "matching: nearest, or below-first (reproduces MatchIt 4.5.1, see README)")
      ->check(CLI::IsMember({"nearest", "below-first"}))
      ->capture_default_str();
  app.add_option("--strata", o.strata, "stratification: number of propensity strata")
      ->check(whole_in(1, 1000))
      ->capture_default_str();
  app.add_option("--trim", o.trim,
                 "ipw/aipw: drop units with propensity outside [t, 1-t], 0 = none")
      ->check(number_in(0.0, 0.49))
      ->capture_default_str();
  app.add_option("--folds", o.folds, "aipw: cross-fitting folds")
      ->check(whole_in(2, 100))
      ->capture_default_str();
  app.add_option("--repeats", o.repeats,
                 "aipw: cross-fitting splits, median over them (small samples: 10)")
      ->check(whole_in(1, 1000))
      ->capture_default_str();
  app.add_option("--bootstrap", o.bootstrap,
                 "bootstrap replicates for the SE: 50 to 1,000,000, or 0 for the analytic "
                 "interval (the default, except frontdoor's 500 replicates)")
      ->each([&a](const std::string&) { a.bootstrap_given = true; })
      ->check([](const std::string& v) {
        long b = -1;
        const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), b);
        if (ec != std::errc() || ptr != v.data() + v.size()) b = -1;
        return (b == 0 || (b >= 50 && b <= 1000000)) ? std::string()
                                                     : std::string(
                                                           "use 0, or 50 to 1,000,000 replicates "
                                                           "(a percentile interval from fewer "
                                                           "is noise)");
      });
  app.add_option("--seed", o.seed, "random seed")->check(kSeed)->capture_default_str();
  app.add_option("--threads", o.threads,
                 "worker threads, 0 = all cores (results do not depend on it)")
      ->capture_default_str()
      ->check(whole_in(0, 1024));
  app.add_option("--propensity-l2", o.propensity.l2,
                 "L2 penalty of the propensity model, 0 = maximum likelihood")
      ->capture_default_str()
      ->check(number_in(0.0, 1e12));
  app.add_flag("--json", a.json, "print one JSON object instead of tables");
  app.add_option("--out", a.out, "also write the JSON result to this file (never the input)")
      ->each([&a](const std::string&) { a.out_given = true; });
  app.add_option("--report", a.report,
                 "also write a self-contained HTML report to this file (plots, no script)")
      ->each([&a](const std::string&) { a.report_given = true; });
  app.add_option("--color", a.color, "colour: auto, always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
}

void add_simulate_options(CLI::App& app, SimulateArgs& a) {
  app.add_option("scenario", a.options.scenario, "retention or uplift")
      ->required()
      ->check(CLI::IsMember({"retention", "uplift"}));
  app.add_option("--n", a.options.rows, "rows, 2 to 200,000,000 (about 2.7 GB of CSV)")
      ->check(whole_in<std::size_t>(std::size_t{2}, std::size_t{200000000}))
      ->capture_default_str();
  app.add_option("--seed", a.options.seed, "random seed")->check(kSeed)->capture_default_str();
  app.add_option("--out", a.out, "CSV file to write")->required();
  app.add_flag("--with-truth", a.options.with_truth, "add each customer's true effect");
}

void add_identify_options(CLI::App& app, IdentifyArgs& a) {
  add_load_options(app, a, false);
  app.add_option("--graph", a.graph,
                 "causal graph: a DOT file (digraph { a -> b; }) or a GML file (.gml)");
  app.add_option("--treatment", a.treatment, "treatment node")->required();
  app.add_option("--outcome", a.outcome, "outcome node")->required();
  add_list(app, "--common-causes", a.common_causes,
           "without --graph: causes of both treatment and outcome, comma-separated");
  add_list(app, "--instruments", a.instruments,
           "without --graph: causes of the treatment only, comma-separated");
  add_list(app, "--effect-modifiers", a.effect_modifiers,
           "without --graph: causes of the outcome only, comma-separated");
  app.add_option("--adjustment", a.adjustment,
                 "backdoor set: default (fewest variables), minimal, maximal, exhaustive")
      ->check(CLI::IsMember({"default", "minimal", "maximal", "exhaustive"}))
      ->capture_default_str();
  add_list(app, "--adjust-for", a.adjust_for,
           "check this backdoor set instead of searching, comma-separated");
  app.add_flag("--strict-names", a.strict_names,
               "a graph node without a data column is an error, not an unobserved variable");
  app.add_flag("--json", a.json, "print one JSON object instead of text");
}

void add_refute_options(CLI::App& app, RefuteArgs& a, bool data_required) {
  add_estimate_options(app, a, data_required);
  if (data_required)  // refute checks one method's estimate
    app.get_option("--method")
        ->description("the one method whose estimate is refuted: " + method_list() +
                      " (default: aipw)");
  add_list(app, "--refuters", a.refuters,
           "refuters, comma-separated (default: all): placebo, random-common-cause, "
           "subset, bootstrap, dummy-outcome, unobserved-common-cause");
  app.add_option("--simulations", a.refute.simulations,
                 "simulations per refuter, 20 to 100,000; replicate i seeded with seed + i")
      ->check(whole_in(20, 100000))
      ->capture_default_str();
  app.add_option("--subset-fraction", a.refute.subset_fraction,
                 "subset refuter: share of rows kept")
      ->check(number_in(0.05, 0.95))
      ->capture_default_str();
  app.add_option("--confounder-strength-treatment", a.strength_treatment,
                 "unobserved-common-cause: partial correlation(s) of the simulated confounder "
                 "with the treatment: a value or from:to:step (default 0.05,0.1,0.2,0.3)");
  app.add_option("--confounder-strength-outcome", a.strength_outcome, "the same with the outcome");
  app.add_flag("--quiet", a.quiet, "no progress bar on stderr");
}

namespace {

// "0.1", "0.05,0.1,0.3" or "0.05:0.3:0.05" (from:to:step, both ends included).
std::vector<double> parse_strengths(const std::string& text, const char* option) {
  const auto fail = [&] {
    return Error(ErrorCode::kBadInput,
                 fmt::format("{} '{}': give a value from 0 to 0.99, a comma-separated list, or "
                             "from:to:step",
                             option, text));
  };
  const auto number = [&](const std::string& s) {
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (s.empty() || !end || *end != '\0' || !std::isfinite(v) || v < 0 || v >= 1) throw fail();
    return v;
  };
  std::vector<double> out;
  if (text.find(':') != std::string::npos) {
    const auto a = text.find(':'), b = text.find(':', a + 1);
    if (b == std::string::npos) throw fail();
    const double from = number(text.substr(0, a)), to = number(text.substr(a + 1, b - a - 1));
    const double step = number(text.substr(b + 1));
    if (step <= 0 || to < from) throw fail();
    if ((to - from) / step > 50)
      throw Error(
          ErrorCode::kBadInput,
          fmt::format("{} '{}' gives more than 51 values; use a larger step", option, text));
    for (int i = 0; from + i * step <= to + 1e-9; ++i)
      out.push_back(std::round((from + i * step) * 1e9) / 1e9);  // 0.1 + 0.2 prints as 0.3
    return out;
  }
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    out.push_back(number(text.substr(start, comma - start)));
    start = comma + 1;
  }
  return out;
}

}  // namespace

RefuteOptions refute_options(const RefuteArgs& a) {
  RefuteOptions o = a.refute;
  o.refuters = a.refuters;
  trim_names(o.refuters);
  if (!a.strength_treatment.empty())
    o.strength_treatment = parse_strengths(a.strength_treatment, "--confounder-strength-treatment");
  if (!a.strength_outcome.empty())
    o.strength_outcome = parse_strengths(a.strength_outcome, "--confounder-strength-outcome");
  return o;
}

void add_uplift_options(CLI::App& app, UpliftArgs& a) {
  add_load_options(app, a, true);
  app.add_option("--treatment", a.treatment, "treatment column (two arms)")->required();
  app.add_option("--outcome", a.outcome, "outcome column")->required();
  add_list(app, "--features", a.features, "effect modifiers the forest splits on, comma-separated");
  app.add_option("--score", a.score,
                 "judge this column's uplift scores on randomised data instead of fitting a "
                 "forest");
  app.add_option("--metric", a.metric, "with --score: deciles, or qini (needs a 0/1 outcome)")
      ->check(CLI::IsMember({"deciles", "qini"}))
      ->capture_default_str()
      ->each([&a](const std::string&) { a.metric_given = true; });
  add_list(app, "--controls", a.controls,
           "confounders used only in the nuisance models, comma-separated");
  app.add_option("--treated-value", a.treated_value, "treatment value of the treated arm");
  app.add_option("--control-value", a.control_value, "treatment value of the control arm");
  app.add_flag("--drop-missing", a.drop_missing, "drop rows with a missing value in a used column");
  app.add_option("--out", a.out,
                 "write id,predicted_uplift,ci_low,ci_high,uplift_decile per customer (CSV)")
      ->each([&a](const std::string&) { a.out_given = true; });
  app.add_option("--trees", a.options.trees,
                 "trees in the forest (an even number, at least 100; the forest only)")
      ->check(whole_in(2, 100000).description(""))
      ->capture_default_str();
  app.add_flag("--quiet", a.quiet, "no progress bar on stderr");
  app.add_option("--report", a.report,
                 "also write a self-contained HTML report: deciles, calibration plot, Qini")
      ->each([&a](const std::string&) { a.report_given = true; });
  app.add_option("--save-model", a.save_model,
                 "write the trained forest to this file, for `causeway score`")
      ->each([&a](const std::string&) { a.save_model_given = true; });
  app.add_option("--method", a.options.method,
                 "forest (causal forest, with intervals) or a meta-learner: t, s, x, dr")
      ->check(CLI::IsMember({"forest", "t", "s", "x", "dr"}))
      ->capture_default_str();
  app.add_option("--base", a.options.base, "meta-learners' base models: boosting or linear")
      ->check(CLI::IsMember({"boosting", "linear"}))
      ->capture_default_str();
  app.add_option("--nuisance", a.options.nuisance,
                 "outcome and propensity models of local centering: linear, boosting "
                 "(gradient-boosted trees) or forest (honest regression forests)")
      ->check(CLI::IsMember({"linear", "boosting", "forest"}))
      ->capture_default_str();
  add_list(app, "--nuisance-columns", a.nuisance_columns,
           "Y_HAT,W_HAT: cross-fitted predictions of the outcome and of the treatment made "
           "elsewhere (your own models), used in place of --nuisance");
  app.add_option("--holdout", a.options.holdout,
                 "share of customers held out of training; deciles, Qini, AUUC and the budget "
                 "are then computed on them alone (0: cross-fitted rankings of everyone)")
      ->check(number_in(0.0, 0.5))
      ->capture_default_str();
  app.add_option("--budget", a.options.budget, "share of customers the budget allows to treat")
      ->check(number_in(0.01, 1.0))
      ->capture_default_str();
  app.add_option("--min-node-size", a.options.min_node_size,
                 "treated and control rows a leaf keeps at least; 0: tuned by the R-loss for point "
                 "accuracy (narrower intervals that cover the truth less often)")
      ->check(whole_in(0, 100000))
      ->each([&a](const std::string&) { a.options.min_node_size_given = true; })
      ->capture_default_str();
  app.add_option("--min-split-gain", a.options.min_split_gain,
                 "a split is kept only when its gain exceeds this many times the noise in the "
                 "node (a chi-square(1) statistic); 0: every split the leaf size allows")
      ->check(number_in(0.0, 1000.0))
      ->capture_default_str();
  app.add_option("--seed", a.options.seed, "random seed")->check(kSeed)->capture_default_str();
  app.add_option("--threads", a.options.threads,
                 "worker threads, 0 = all cores (results do not depend on it)")
      ->check(whole_in(0, 1024))
      ->capture_default_str();
  app.add_flag("--json", a.json, "print one JSON object instead of tables");
  // Which method-specific options were typed, so that one a method cannot use is refused.
  for (const char* name :
       {"--trees", "--min-node-size", "--min-split-gain", "--method", "--base", "--nuisance",
        "--holdout", "--budget", "--controls", "--save-model", "--report"})
    app.get_option(name)->each([&a, name](const std::string&) { a.given.insert(name); });
}

void add_diagnose_options(CLI::App& app, DiagnoseArgs& a) {
  add_estimate_options(app, a, true);
  // What only an estimator reads: refused as unknown rather than silently ignored. (--method,
  // --graph and --bootstrap stay, to be refused with a reason, but out of the help, which lists
  // only what diagnose takes.)
  for (const char* name : {"--adjustment", "--proceed-when-unidentifiable", "--mediators",
                           "--instruments", "--strata", "--folds", "--repeats"})
    app.remove_option(app.get_option(name));
  for (const char* name : {"--method", "--graph", "--bootstrap"}) app.get_option(name)->group("");
  app.add_flag("--overlap", a.overlap, "show the overlap section (with --balance: both)");
  app.add_flag("--balance", a.balance, "show the balance section (with --overlap: both)");
}

void add_retry_options(CLI::App& app, int& retries, double& timeout_seconds,
                       const std::string& prefix) {
  app.add_option("--timeout", timeout_seconds, prefix + "seconds allowed for one request")
      ->check(number_in(0.001, 86400.0))
      ->capture_default_str();
  app.add_option("--retries", retries,
                 prefix + "retries of a request after a 429, a 5xx or a timeout")
      ->check(whole_in(0, 100))
      ->capture_default_str();
}

void add_rate_options(CLI::App& app, int& concurrency, double& rps) {
  app.add_option("--concurrency", concurrency, "requests in flight at once")
      ->check(whole_in(1, 64))
      ->capture_default_str();
  app.add_option("--rps", rps, "requests started a second, at most (default: no limit)")
      ->check(number_in(0.01, 100000.0));
}

void add_signals_options(CLI::App& app, SignalsArgs& a) {
  app.add_option("input", a.input,
                 "interaction records: a JSON array file, a JSON Lines file, or a folder of "
                 "*.json / *.jsonl pages (read in name order); or --url");
  app.add_option("--url", a.http.url,
                 "fetch the records page by page from this HTTP(S) API instead of INPUT");
  app.add_option("--token-env", a.token_env,
                 "--url: the environment variable holding the bearer token (never the token)");
  app.add_flag("--insecure", a.insecure,
               "--url: do not verify the server's TLS certificate (a warning is printed)");
  app.add_option("--pagination", a.pagination, "--url: follow a cursor, or number the pages")
      ->check(CLI::IsMember({"cursor", "page"}))
      ->capture_default_str();
  app.add_option("--cursor-field", a.http.cursor_field,
                 "--url: the page field holding the next cursor (absent or null: the last page)")
      ->capture_default_str();
  app.add_option("--cursor-param", a.http.cursor_param,
                 "--url: the query parameter the cursor is sent in")
      ->capture_default_str();
  app.add_option("--page-param", a.http.page_param, "--url: the page number's query parameter")
      ->capture_default_str();
  app.add_option("--limit-param", a.http.limit_param, "--url: the page size's query parameter")
      ->capture_default_str();
  app.add_option("--limit", a.http.limit, "--url: records asked for per page (page paging)")
      ->check(whole_in<std::size_t>(std::size_t{1}, std::size_t{1} << 30))
      ->capture_default_str();
  app.add_option("--max-pages", a.http.max_pages,
                 "--url: pages fetched at most; a longer run fails (a runaway API)")
      ->check(whole_in<std::size_t>(std::size_t{1}, std::size_t{1} << 40))
      ->capture_default_str();
  app.add_option("--records-field", a.http.records_field,
                 "--url: the page field holding the array of records")
      ->capture_default_str();
  add_retry_options(app, a.http.retries, a.http.timeout_seconds, "--url: ");
  app.add_option("--mapping", a.mapping,
                 "mapping file (JSON): the id field and each output column's source, "
                 "aggregate and default (see README)")
      ->required();
  app.add_option("--out", a.out, "the per-customer table to write (CSV, whole or not at all)")
      ->required();
  app.add_option("--outcomes", a.outcomes,
                 "outcomes CSV (one row per customer) to join; needs --on");
  app.add_option("--on", a.on, "the outcomes file's customer id column");
  app.add_option("--rejects", a.rejects,
                 "write each rejected record (position, reason, excerpt) to this JSON Lines file");
  app.add_option("--max-rejects", a.max_rejects,
                 "bad records allowed before the run fails (exit 2, no --out written)")
      ->check(whole_in<std::size_t>(std::size_t{0}, std::size_t{1} << 62))
      ->capture_default_str();
  app.add_flag("--json", a.json, "print the run's summary as one JSON object");
}

void add_score_options(CLI::App& app, ScoreArgs& a) {
  add_load_options(app, a, true);
  app.add_option("--model", a.model, "model file written by `causeway uplift --save-model`")
      ->required();
  app.add_option("--out", a.out,
                 "write id,predicted_uplift,ci_low,ci_high,uplift_decile per customer (CSV); "
                 "without it the scores go to standard output")
      ->each([&a](const std::string&) { a.out_given = true; });
  app.add_flag("--json", a.json, "with --out: print the summary as one JSON object");
}

AnalysisSpec analysis_spec(const EstimateArgs& a) {
  AnalysisSpec s;
  s.treatment = a.treatment;
  s.outcome = a.outcome;
  s.covariates = a.common_causes;
  trim_names(s.covariates);
  if (!a.treated_value.empty()) s.treated_value = a.treated_value;
  if (!a.control_value.empty()) s.control_value = a.control_value;
  s.drop_missing = a.drop_missing;
  s.mediators = a.mediators;
  s.instruments = a.instruments;
  trim_names(s.mediators);
  trim_names(s.instruments);
  return s;
}

CsvOptions csv_options(const LoadArgs& a) {
  CsvOptions c;
  if (!a.delimiter.empty()) c.delimiter = a.delimiter == "tab" ? '\t' : a.delimiter[0];
  std::vector<std::string> categorical = a.categorical;
  trim_names(categorical);
  c.categorical.insert(categorical.begin(), categorical.end());
  c.id_column = a.id_column;
  return c;
}

CsvOptions csv_options(const EstimateArgs& a) {
  CsvOptions c = csv_options(static_cast<const LoadArgs&>(a));
  c.keep = {a.treatment, a.outcome};
  for (auto list : {a.common_causes, a.mediators, a.instruments}) {
    trim_names(list);
    for (const auto& x : list)
      if (std::find(c.keep.begin(), c.keep.end(), x) == c.keep.end()) c.keep.push_back(x);
  }
  return c;
}

EstimateOptions estimate_options(const EstimateArgs& a) {
  EstimateOptions o = a.options;
  if (a.bootstrap_given && o.bootstrap == 0) o.bootstrap = -1;  // analytic even for frontdoor
  o.target = *parse_target(a.target);
  o.matching.caliper_scale =
      a.caliper_scale == "absolute" ? CaliperScale::kAbsolute : CaliperScale::kStandardDeviations;
  o.matching.distance = a.distance == "logit" ? MatchDistance::kLogit : MatchDistance::kPropensity;
  o.matching.below_first = a.neighbour == "below-first";
  return o;
}

}  // namespace causeway::cli
