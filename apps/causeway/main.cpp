// causeway: causal inference on customer data, from the command line.
// Exit codes: 0 success, 2 bad input or impossible request, 1 internal failure, 4 push: some
// rows not delivered.
#include <malloc.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>

#include "commands.h"
#include "core/atomic_file.h"
#include "core/text.h"

namespace {

extern "C" void on_signal(int sig) {
  causeway::remove_unfinished_output();
  ::_exit(128 + sig);
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGHUP, on_signal);
  using namespace causeway;
  // Large column vectors come and go between steps; keeping freed memory in the heap instead of
  // returning it to the kernel saves re-faulting the pages (about 15 % of a 1 M row run).
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  CLI::App app{"causeway: did the intervention cause the renewal, and whom should we treat?"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "causeway " CAUSEWAY_VERSION);
  cli::SimulateArgs sim;
  cli::EstimateArgs est;
  cli::RefuteArgs ana;
  cli::DescribeArgs des;
  cli::IdentifyArgs idf;
  cli::RefuteArgs ref;
  cli::UpliftArgs upl;
  cli::ScoreArgs sco;
  cli::DiagnoseArgs dia;
  cli::SignalsArgs sig;
  cli::PushArgs psh;
  auto* simulate = app.add_subcommand("simulate", "write a reference simulation to CSV");
  cli::add_simulate_options(*simulate, sim);
  auto* describe = app.add_subcommand("describe", "how each column reads: types, missing values");
  cli::add_describe_options(*describe, des);
  auto* identify = app.add_subcommand(
      "identify", "from a causal graph: can the effect be computed, and by which formula?");
  cli::add_identify_options(*identify, idf);
  auto* estimate = app.add_subcommand("estimate", "estimate the effect of a treatment");
  cli::add_estimate_options(*estimate, est, true);
  auto* diagnose = app.add_subcommand(
      "diagnose", "where the comparison is weak: overlap of propensity scores, covariate balance");
  cli::add_diagnose_options(*diagnose, dia);
  auto* refute = app.add_subcommand(
      "refute", "try to break an estimate: placebo, subsets, hidden confounders, sensitivity");
  cli::add_refute_options(*refute, ref, true);
  auto* uplift = app.add_subcommand(
      "uplift", "whom to treat: per-customer effects from a causal forest, with intervals");
  cli::add_uplift_options(*uplift, upl);
  auto* score =
      app.add_subcommand("score", "score new customers with a model saved by uplift --save-model");
  cli::add_score_options(*score, sco);
  auto* signals = app.add_subcommand(
      "signals", "per-customer signals from interaction records (JSON), joined with outcomes");
  cli::add_signals_options(*signals, sig);
  auto* push = app.add_subcommand(
      "push", "write scores back to a REST API (a CRM), one request per row, with a journal");
  cli::add_push_options(*push, psh);
  auto* analyze = app.add_subcommand("analyze", "the whole analysis (built-in demo without data)");
  cli::add_refute_options(*analyze, ana, false);
  analyze->add_flag("--fail-on-fragile", ana.fail_on_fragile,
                    "exit with code 3 when the verdict is FRAGILE (for scheduled jobs)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    const std::string text =
        "causeway: error: " + printable(e.what(), 4000) +
        "\nrun 'causeway --help' for the commands (analyze, describe, diagnose, estimate, "
        "identify, push, refute, score, signals, simulate, uplift) "
        "and "
        "'causeway <command> --help' for their options\n";
    std::fwrite(text.data(), 1, text.size(), stderr);
    return 2;
  }
  try {
    if (*simulate) cli::run_simulate(sim);
    if (*describe) cli::run_describe(des);
    if (*identify) cli::run_identify(idf);
    if (*estimate) cli::run_estimate(est);
    if (*diagnose) cli::run_diagnose(dia);
    if (*refute) cli::run_refute(ref);
    if (*uplift) cli::run_uplift(upl);
    if (*score) cli::run_score(sco);
    if (*signals) cli::run_signals(sig);
    if (*push) return cli::run_push(psh);
    if (*analyze) return cli::run_analyze(ana);
  } catch (const Error& e) {
    std::fflush(stdout);
    const std::string text = "causeway: error: " + printable(e.message(), 4000) + "\n";
    std::fwrite(text.data(), 1, text.size(), stderr);
    return exit_code_for(e.code());
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "causeway: error: out of memory\n");
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "causeway: internal error: %s\n", e.what());
    return 1;
  }
  return 0;
}
