#pragma once
// What yaml-cpp leaves to the reader: its syntax errors put in terms of the file ("a tab in the
// indentation", "indented 3 spaces, the line above 2"), and YAML merge keys (<<), which yaml-cpp
// reads as an ordinary key.
#include <yaml-cpp/yaml.h>

#include <string>

#include "config/yaml_reader.hpp"

namespace castline::config::detail {

// The likely cause of a yaml-cpp syntax error in `text`, where it is, and yaml-cpp's own words.
struct SyntaxProblem {
    int line = 1;    // from 1
    int column = 1;  // from 1
    std::string message;
};
SyntaxProblem explain_syntax_error(const std::string& text, const YAML::Mark& mark,
                                   const std::string& yaml_message);

// Replaces each `<<: *defaults` (a map, or a list of maps) in the tree by the keys it brings:
// keys written in the map win, then earlier maps of a list over later ones. The merged values
// are the anchored nodes themselves, so a problem in one is reported at the line it was written.
void expand_merge_keys(YAML::Node& root, const std::string& file, Diagnostics& out);

}  // namespace castline::config::detail
