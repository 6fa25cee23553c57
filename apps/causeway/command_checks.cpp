#include "command_checks.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string>

#include "causeway/data/table.h"

namespace causeway::cli {
namespace {

// A command line the checks refuse: reported as the parser's errors are.
class Refused : public CLI::ParseError {
 public:
  explicit Refused(std::string message)
      : CLI::ParseError("Refused", std::move(message), CLI::ExitCodes::ExtrasError) {}
};

// " (did you mean 'x'?)" for the name among `names` nearest `given`, or "". A start that several
// names share ("--treat") gets them all.
std::string suggestion(const std::vector<std::string>& names, const std::string& given) {
  std::vector<std::string> starting;
  if (given.size() >= 3)
    for (const std::string& n : names)
      if (n.starts_with(given)) starting.push_back("'" + n + "'");
  if (starting.size() > 1)
    return " (did you mean " + fmt::format("{}", fmt::join(starting, " or ")) + "?)";
  const std::string near = closest_name(names, given);
  return near.empty() ? "" : " (did you mean '" + near + "'?)";
}

// A comma-separated list that names nothing (",", or "" from --method=), or has an empty name
// ("ipw," or "a,,b"): the parser drops empty names silently, while a blank one ("a, ,b") is
// refused by the option's own check.
void check_list(const std::string& option, const std::string& value) {
  if (value.find_first_not_of(", \t") == std::string::npos)
    throw Refused(option + ": '" + value +
                  "' names nothing; give one name or more, separated by commas");
  for (std::size_t start = 0;;) {
    const std::size_t end = std::min(value.find(',', start), value.size());
    if (end == start)
      throw Refused(option + ": '" + value +
                    "' has an empty name (a comma at the start or end, or two in a row?)");
    if (end == value.size()) return;
    start = end + 1;
  }
}

// An en or em dash pasted from a document (a word processor makes one of "--") is no '-': the
// token's leading dashes, typographic or not, are to be typed "--".
void check_dashes(const std::string& token) {
  std::size_t at = 0;
  bool typographic = false;
  while (true) {
    if (token.compare(at, 1, "-") == 0) {
      at += 1;
    } else if (token.compare(at, 3, "\u2013") == 0 || token.compare(at, 3, "\u2014") == 0) {
      at += 3, typographic = true;
    } else {
      break;
    }
  }
  if (typographic)
    throw Refused("'" + token + "' begins with a typographic dash, not '-' (pasted from a " +
                  "document?): type --" + token.substr(at));
}

}  // namespace

void check_command_line(const CLI::App& app, const std::vector<const CLI::App*>& commands,
                        const CLI::App* named, int argc, const char* const* argv) {
  if (argc < 2) return;
  const std::string first = argv[1];
  if (named == nullptr) check_dashes(first);
  if (named == nullptr && !first.starts_with("-")) {
    std::vector<std::string> names = {"--help", "--version"};
    for (const CLI::App* c : commands) names.push_back(c->get_name());
    throw Refused("'" + first + "' is not a causeway command" + suggestion(names, first));
  }
  // Before a command only the program's own options (--help, --version) may come.
  const CLI::App& scope = named ? *named : app;
  const std::string who = named ? "'" + named->get_name() + "'" : "causeway";
  std::vector<std::string> options;
  for (const CLI::Option* o : scope.get_options())
    for (const std::string& name : o->get_lnames()) options.push_back("--" + name);
  if (std::find(options.begin(), options.end(), "--help") == options.end())
    options.push_back("--help");
  const auto known = [&options](const std::string& token) {
    return std::find(options.begin(), options.end(), token.substr(0, token.find('='))) !=
           options.end();
  };
  std::set<std::string> given;  // options of one value seen so far
  for (int i = named ? 2 : 1; i < (named ? argc : 2); ++i) {
    const std::string token = argv[i];
    if (token == "--") return;  // what follows are values
    check_dashes(token);
    if (!token.starts_with("--")) {
      // One dash and a letter, not a short option: "-treatment" or "-k" for "--treatment" or
      // "--k", or a file name that begins with a dash (a number such as -1 is a value, "-" the
      // standard input).
      // (A short option is "-h" alone: "-history.csv" printed the help and ended the run.)
      if (token.size() >= 2 && token[0] == '-' &&
          std::isalpha(static_cast<unsigned char>(token[1])) &&
          (token.size() > 2 || scope.get_option_no_throw(token) == nullptr)) {
        const std::string typed = token.substr(0, token.find('=')), long_form = "-" + typed;
        std::string hint = known(long_form) ? " (did you mean '" + long_form + "'?)"
                                            : suggestion(options, long_form);
        if (hint.empty() && named) hint = "; a file name that begins with '-' goes after '--'";
        throw Refused(who + " has no option " + typed + hint);
      }
      continue;
    }
    const std::size_t equals = token.find('=');
    const std::string name = token.substr(0, equals);
    if (!known(name)) throw Refused(who + " has no option " + name + suggestion(options, name));
    const CLI::Option* option = scope.get_option_no_throw(name);
    if (option == nullptr) continue;
    if (option->get_expected_min() == 0) {  // a switch: "--dry-run=false" turned a dry run off
      if (equals != std::string::npos)
        throw Refused(name + " is a switch and takes no value: give " + name +
                      " alone, or leave it out");
      continue;
    }
    std::string value;
    if (equals != std::string::npos) {
      value = token.substr(equals + 1);
      // an empty value: the parser would take the next argument, an option too, as the value
      if (value.empty() && option->get_delimiter() != ',')
        throw Refused(name + "= has no value: give it after the '='");
    } else {
      if (i + 1 >= argc) throw Refused(name + " needs a value: give it after " + name);
      value = argv[++i];
      if (value == "--" || (value.starts_with("--") && known(value)))
        throw Refused(name + " needs a value, and '" + value + "' " +
                      (value == "--" ? "ends the options" : "is an option") +
                      ": give the value right after " + name);
    }
    if (option->get_delimiter() == ',')
      check_list(name, value);
    else if (option->get_expected_max() <= 1 && !given.insert(option->get_name()).second)
      throw Refused(name + " is given twice (or under another of its names); give it once");
  }
}

}  // namespace causeway::cli
