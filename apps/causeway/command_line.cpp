#include "command_line.h"

#include <omp.h>

#include <vector>

#include "command_checks.h"
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
  check_command_line(app_, commands, named, argc, argv);
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
