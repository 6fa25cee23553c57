#include "command_line.h"

#include <omp.h>

#include <algorithm>
#include <string>
#include <vector>

#include "causeway/data/table.h"
#include "commands.h"

namespace causeway::cli {

CommandLine::CommandLine() {
  app_.require_subcommand(1);
  app_.set_version_flag("--version", "causeway " CAUSEWAY_VERSION);
  simulate_ = app_.add_subcommand("simulate", "write a reference simulation to CSV");
  describe_ = app_.add_subcommand("describe", "how each column reads: types, missing values");
  identify_ = app_.add_subcommand(
      "identify", "from a causal graph: can the effect be computed, and by which formula?");
  estimate_ = app_.add_subcommand("estimate", "estimate the effect of a treatment");
  diagnose_ = app_.add_subcommand(
      "diagnose", "where the comparison is weak: overlap of propensity scores, covariate balance");
  refute_ = app_.add_subcommand(
      "refute", "try to break an estimate: placebo, subsets, hidden confounders, sensitivity");
  uplift_ = app_.add_subcommand(
      "uplift", "whom to treat: per-customer effects from a causal forest, with intervals");
  score_ =
      app_.add_subcommand("score", "score new customers with a model saved by uplift --save-model");
  signals_ = app_.add_subcommand(
      "signals", "per-customer signals from interaction records (JSON), joined with outcomes");
  push_ = app_.add_subcommand(
      "push", "write scores back to a REST API (a CRM), one request per row, with a journal");
  analyze_ = app_.add_subcommand("analyze", "the whole analysis (built-in demo without data)");
}

void CommandLine::add_options(const CLI::App* only) {
  const auto wanted = [only](const CLI::App* sub) { return only == nullptr || only == sub; };
  if (wanted(simulate_)) add_simulate_options(*simulate_, sim_);
  if (wanted(describe_)) add_describe_options(*describe_, des_);
  if (wanted(identify_)) add_identify_options(*identify_, idf_);
  if (wanted(estimate_)) add_estimate_options(*estimate_, est_, true);
  if (wanted(diagnose_)) add_diagnose_options(*diagnose_, dia_);
  if (wanted(refute_)) add_refute_options(*refute_, ref_, true);
  if (wanted(uplift_)) add_uplift_options(*uplift_, upl_);
  if (wanted(score_)) add_score_options(*score_, sco_);
  if (wanted(signals_)) add_signals_options(*signals_, sig_);
  if (wanted(push_)) add_push_options(*push_, psh_);
  if (wanted(analyze_)) {
    add_refute_options(*analyze_, ana_, false);
    analyze_->add_flag("--fail-on-fragile", ana_.fail_on_fragile,
                       "exit with code 3 when the verdict is FRAGILE (for scheduled jobs)");
  }
}

namespace {

// A command line the checks below refuse: reported as the parser's errors are.
class Refused : public CLI::ParseError {
 public:
  explicit Refused(std::string message)
      : CLI::ParseError("Refused", std::move(message), CLI::ExitCodes::ExtrasError) {}
};

// " (did you mean 'x'?)" for the name among `names` nearest `given`, or "".
std::string suggestion(const std::vector<std::string>& names, const std::string& given) {
  const std::string near = closest_name(names, given);
  return near.empty() ? "" : " (did you mean '" + near + "'?)";
}

// A comma-separated list with an empty item ("ipw," or "a,,b"): the parser drops such items
// silently, while a blank one ("a, ,b") is refused; both are refused, as a list with a typo.
void check_list(const CLI::Option& option, const std::string& value) {
  // an empty list (nothing but commas and blanks): the option's own check names it
  if (value.find_first_not_of(", \t") == std::string::npos) return;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = std::min(value.find(',', start), value.size());
    if (end == start)
      throw Refused(option.get_name() + ": '" + value +
                    "' has an empty name (a comma at the start or end, or two in a row?)");
    if (end == value.size()) return;
    start = end + 1;
  }
}

// A word where the command belongs, or an option the command does not have, is named with the
// nearest right one; left to the parser, the first said only "A subcommand is required" and the
// second "--treatment is required" (for `--treatmnt`) or listed it among unexpected arguments.
// Lists are checked for empty names (check_list).
void check_names(const CLI::App& app, const std::vector<const CLI::App*>& commands,
                 const CLI::App* named, int argc, const char* const* argv) {
  if (argc < 2) return;
  const std::string first = argv[1];
  if (named == nullptr && !first.starts_with("-")) {
    std::vector<std::string> names;
    for (const CLI::App* c : commands) names.push_back(c->get_name());
    throw Refused("'" + first + "' is not a causeway command" + suggestion(names, first));
  }
  // Before a command only the program's own options (--help, --version) may come.
  const CLI::App& scope = named ? *named : app;
  std::vector<std::string> options = {"--help"};
  for (const CLI::Option* o : scope.get_options())
    for (const std::string& name : o->get_lnames()) options.push_back("--" + name);
  for (int i = named ? 2 : 1; i < (named ? argc : 2); ++i) {
    std::string given = argv[i];
    if (given == "--") return;  // what follows are values
    if (!given.starts_with("--")) continue;
    const std::size_t equals = given.find('=');
    const std::string name = given.substr(0, equals);
    if (std::find(options.begin(), options.end(), name) == options.end())
      throw Refused((named ? "'" + named->get_name() + "'" : std::string("causeway")) +
                    " has no option " + name + suggestion(options, name));
    const CLI::Option* option = scope.get_option_no_throw(name);
    if (option == nullptr || option->get_delimiter() != ',') continue;
    if (equals != std::string::npos)
      check_list(*option, given.substr(equals + 1));
    else if (i + 1 < argc)
      check_list(*option, argv[i + 1]);
  }
}

}  // namespace

void CommandLine::parse(int argc, const char* const* argv) {
  // The options of the command named first, alone: setting up every command's options (about a
  // millisecond) is for help on them all, or a command line that names none first.
  const std::vector<const CLI::App*> commands = {simulate_, describe_, identify_, estimate_,
                                                 diagnose_, refute_,   uplift_,   score_,
                                                 signals_,  push_,     analyze_};
  const CLI::App* named = nullptr;
  if (argc > 1)
    for (const CLI::App* sub : commands)
      if (sub->get_name() == argv[1]) named = sub;
  add_options(named);
  check_names(app_, commands, named, argc, argv);
  app_.parse(argc, argv);
}

int CommandLine::run() {
  // --threads bounds every parallel step, the reading of the data included.
  for (const CLI::App* sub : app_.get_subcommands())
    if (const CLI::Option* threads = sub->get_option_no_throw("--threads");
        threads != nullptr && threads->count() > 0)
      if (const int n = threads->as<int>(); n > 0) omp_set_num_threads(n);
  if (*simulate_) run_simulate(sim_);
  if (*describe_) run_describe(des_);
  if (*identify_) run_identify(idf_);
  if (*estimate_) run_estimate(est_);
  if (*diagnose_) run_diagnose(dia_);
  if (*refute_) run_refute(ref_);
  if (*uplift_) run_uplift(upl_);
  if (*score_) run_score(sco_);
  if (*signals_) run_signals(sig_);
  if (*push_) return run_push(psh_);
  if (*analyze_) return run_analyze(ana_);
  return 0;
}

}  // namespace causeway::cli
