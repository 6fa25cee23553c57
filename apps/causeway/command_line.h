// causeway's command line: every subcommand with its options, and running the one parsed.
//
// The program (main.cpp) and the Python module build the same CommandLine, so a call from Python
// parses, checks and runs exactly as the command would.
#pragma once

#include <CLI/CLI.hpp>

#include "options.h"

namespace causeway::cli {

class CommandLine {
 public:
  CommandLine();
  CommandLine(const CommandLine&) = delete;
  CommandLine& operator=(const CommandLine&) = delete;

  // Throws CLI::ParseError (and CLI's help and version signals) like CLI::App::parse.
  void parse(int argc, const char* const* argv);
  // Runs the parsed subcommand; returns its exit code, throws Error on failure.
  int run();
  // CLI11's own handling of a ParseError (help, version, message and exit code).
  int exit(const CLI::Error& e) { return app_.exit(e); }

 private:
  // The options of the command `only`, or of every command when null.
  void add_options(const CLI::App* only);

  CLI::App app_{"causeway: did the intervention cause the renewal, and whom should we treat?"};
  SimulateArgs sim_;
  EstimateArgs est_;
  RefuteArgs ana_;
  DescribeArgs des_;
  IdentifyArgs idf_;
  RefuteArgs ref_;
  UpliftArgs upl_;
  ScoreArgs sco_;
  DiagnoseArgs dia_;
  SignalsArgs sig_;
  PushArgs psh_;
  CLI::App *simulate_, *describe_, *identify_, *estimate_, *diagnose_, *refute_, *uplift_, *score_,
      *signals_, *push_, *analyze_;
};

}  // namespace causeway::cli
