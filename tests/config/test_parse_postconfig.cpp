#include <doctest/doctest.h>

#include "config_test_support.hpp"

using namespace castline::config;
using namespace castline::config::testing;

TEST_CASE("sysprep sections, unattend settings and their variables") {
    const auto result =
        load_string(base_config +
                        "postconfig:\n  win:\n    partition: 3\n    sysprep:\n      UserData: "
                        "{ComputerName: \"${name}\", "
                        "FullName: \"$$5 ${OrgName}\"}\n"
                        "    unattend:\n      "
                        "specialize/Microsoft-Windows-Shell-Setup/ComputerName: \"${name}\"\n",
                    "site.yaml");
    INFO(all_text(result.diagnostics));
    REQUIRE(result.ok());
    const auto& pc = result.config->postconfig.at("win");
    CHECK(pc.partition == "3");
    REQUIRE(pc.sysprep.size() == 2);
    CHECK(pc.sysprep[0].section == "UserData");
    CHECK(pc.sysprep[0].key == "ComputerName");
    CHECK(pc.sysprep[1].value == "$$5 ${OrgName}");
    REQUIRE(pc.unattend.size() == 1);
    CHECK(pc.unattend[0].path == "specialize/Microsoft-Windows-Shell-Setup/ComputerName");
    CHECK(pc.sysprep_path == "Sysprep/sysprep.inf");
}

TEST_CASE("a broken variable, an unknown unattend pass, a path climbing out") {
    const std::string head = base_config + "postconfig:\n  win:\n";
    require_single_error(
        load_string(head + "    sysprep: {UserData: {ComputerName: \"${name\"}}\n", "site.yaml"),
        "site.yaml", 7, 40, "postconfig.win.sysprep.UserData.ComputerName", "is not closed");
    require_single_error(
        load_string(
            head +
                "    unattend:\n      specialise/Microsoft-Windows-Shell-Setup/ComputerName: x\n",
            "site.yaml"),
        "site.yaml", 8, 7,
        "postconfig.win.unattend.specialise/Microsoft-Windows-Shell-Setup/ComputerName",
        "\"specialise\" is not an unattend pass (did you mean \"specialize\"?)");
    require_single_error(load_string(head + "    unattend_path: ../../etc/passwd\n", "site.yaml"),
                         "site.yaml", 7, 20, "postconfig.win.unattend_path",
                         "is not a path inside the partition");
}
