// Telling JSON text inside strings from the structure around it, one character at a time, for
// the scanners that look at records without parsing them.
#pragma once

namespace causeway {

class JsonStrings {
 public:
  // Whether `c`, the next character, belongs to a string (its quotes included).
  bool inside(char c) {
    if (!in_string_) return in_string_ = c == '"';
    if (escape_)
      escape_ = false;
    else if (c == '\\')
      escape_ = true;
    else if (c == '"')
      in_string_ = false;
    return true;
  }

 private:
  bool in_string_ = false, escape_ = false;
};

}  // namespace causeway
