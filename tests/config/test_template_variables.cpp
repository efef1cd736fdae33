#include <doctest/doctest.h>

#include "config/template_variables.hpp"

using namespace castline::config;

TEST_CASE("render_template fills variables, keeps $$ as $ and unknown names as written") {
    const std::map<std::string, std::string> values{{"name", "WS01"}, {"OrgName", "Example"}};
    CHECK(render_template("${name}", values) == "WS01");
    CHECK(render_template("PC-${name}-${OrgName}!", values) == "PC-WS01-Example!");
    CHECK(render_template("cost $$5 and $", values) == "cost $5 and $");
    CHECK(render_template("${missing} ${name", values) == "${missing} ${name");
    CHECK(render_template("", values).empty());
}
