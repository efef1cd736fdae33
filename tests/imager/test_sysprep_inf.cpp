#include <doctest/doctest.h>

#include "imager/errors.hpp"
#include "imager/sysprep_inf.hpp"

using namespace castline;
using namespace castline::imager;

namespace {
const std::string crlf_file =
    "; sysprep.inf made by setupmgr\r\n"
    "[Unattended]\r\n"
    "    OemSkipEula=Yes\r\n"
    "\r\n"
    "[UserData]\r\n"
    "    FullName=\"Lab User\"\r\n"
    "    ComputerName = OLDNAME\r\n"
    "    ProductKey=XXXXX-XXXXX\r\n"
    "\r\n"
    "[Identification]\r\n"
    "    JoinWorkgroup=WORKGROUP\r\n";
}  // namespace

TEST_CASE("an existing value is replaced in place; every other byte of a CRLF file stays") {
    const auto out = set_sysprep_value(crlf_file, {"UserData", "ComputerName", "WS01"});
    std::string expected = crlf_file;
    expected.replace(expected.find("OLDNAME"), 7, "WS01");
    CHECK(out == expected);
}

TEST_CASE("section and key names are compared without case, the file's spelling is kept") {
    const auto out = set_sysprep_value(crlf_file, {"userdata", "COMPUTERNAME", "WS02"});
    CHECK(out.find("    ComputerName = WS02\r\n") != std::string::npos);
    CHECK(out.find("OLDNAME") == std::string::npos);
}

TEST_CASE("a missing key goes after its section's last line, in the file's line end") {
    const auto out = set_sysprep_value(crlf_file, {"UserData", "OrgName", "\"Example Inc\""});
    std::string expected = crlf_file;
    expected.insert(expected.find("\r\n\r\n[Identification]") + 2, "OrgName=\"Example Inc\"\r\n");
    CHECK(out == expected);
}

TEST_CASE("a missing section is added at the end") {
    const auto out = set_sysprep_value(crlf_file, {"GuiUnattended", "TimeZone", "110"});
    CHECK(out == crlf_file + "[GuiUnattended]\r\nTimeZone=110\r\n");
    const std::string no_final_line_end = "[A]\r\nx=1";
    CHECK(set_sysprep_value(no_final_line_end, {"B", "y", "2"}) == "[A]\r\nx=1\r\n[B]\r\ny=2\r\n");
    CHECK(set_sysprep_value(no_final_line_end, {"A", "y", "2"}) == "[A]\r\nx=1\r\ny=2\r\n");
    CHECK(set_sysprep_value("", {"UserData", "ComputerName", "A"}) ==
          "[UserData]\r\nComputerName=A\r\n");
}

TEST_CASE("an LF file stays LF; a UTF-8 BOM stays") {
    const std::string lf = "[UserData]\nComputerName=OLD\n; keep me\n";
    CHECK(set_sysprep_value(lf, {"UserData", "ComputerName", "NEW"}) ==
          "[UserData]\nComputerName=NEW\n; keep me\n");
    CHECK(set_sysprep_value(lf, {"UserData", "OrgName", "X"}) ==
          "[UserData]\nComputerName=OLD\n; keep me\nOrgName=X\n");
    const std::string bom = "\xEF\xBB\xBF[UserData]\r\nComputerName=OLD\r\n";
    CHECK(set_sysprep_value(bom, {"UserData", "ComputerName", "NEW"}) ==
          "\xEF\xBB\xBF[UserData]\r\nComputerName=NEW\r\n");
    CHECK(set_sysprep_value("\xEF\xBB\xBF", {"A", "b", "c"}) == "\xEF\xBB\xBF[A]\r\nb=c\r\n");
}

TEST_CASE("comments and keys only named in comments are left alone") {
    const std::string text = "[UserData]\r\n;ComputerName=COMMENTED\r\nComputerName=REAL\r\n";
    CHECK(set_sysprep_value(text, {"UserData", "ComputerName", "WS"}) ==
          "[UserData]\r\n;ComputerName=COMMENTED\r\nComputerName=WS\r\n");
}

TEST_CASE("the first of duplicate sections and keys is the one set, as Windows reads it") {
    const std::string text = "[A]\nk=1\nk=2\n[a]\nk=3\n";
    CHECK(set_sysprep_value(text, {"A", "k", "9"}) == "[A]\nk=9\nk=2\n[a]\nk=3\n");
}

TEST_CASE("names and values an INI line cannot hold are refused") {
    CHECK_THROWS_WITH_AS(set_sysprep_value("", {"User]Data", "k", "v"}),
                         doctest::Contains("is not an INI section name"), ImagerError);
    CHECK_THROWS_WITH_AS(set_sysprep_value("", {"UserData\t", "k", "v"}),
                         doctest::Contains("is not an INI section name"), ImagerError);
    CHECK_THROWS_WITH_AS(set_sysprep_value("", {"UserData", "a=b", "v"}),
                         doctest::Contains("is not an INI key"), ImagerError);
    CHECK_THROWS_WITH_AS(set_sysprep_value("", {"UserData", "k", "two\r\nlines"}),
                         doctest::Contains("holds a line break"), ImagerError);
    CHECK_THROWS_WITH_AS(set_sysprep_value("", {"UserData", "k", " padded"}),
                         doctest::Contains("starts or ends with a blank"), ImagerError);
}

TEST_CASE("a per-MAC update file gives only this MAC's settings") {
    const auto mac = *MacAddress::parse("00:0a:48:00:dd:1a");
    const std::string update =
        "; Paragon update file\r\n"
        "[00-0A-48-00-DD-1A.SysprepInf.UserData]\r\n"
        "ComputerName=WS01\r\n"
        "FullName = \"Lab One\"\r\n"
        "\r\n"
        "[00-0A-48-00-DD-1B.SysprepInf.UserData]\r\n"
        "ComputerName=WS02\r\n"
        "[00:0a:48:00:dd:1a.sysprepinf.Identification]\r\n"
        "JoinWorkgroup=LAB\r\n";
    const auto settings = sysprep_settings_for_mac(update, mac);
    REQUIRE(settings.size() == 3);
    CHECK(settings[0] == SysprepSetting{"UserData", "ComputerName", "WS01"});
    CHECK(settings[1] == SysprepSetting{"UserData", "FullName", "\"Lab One\""});
    CHECK(settings[2] == SysprepSetting{"Identification", "JoinWorkgroup", "LAB"});
    CHECK(sysprep_settings_for_mac(update, *MacAddress::parse("52:54:00:00:00:01")).empty());
}

TEST_CASE("a malformed update file line is an error naming its line number") {
    const auto mac = *MacAddress::parse("00:0a:48:00:dd:1a");
    CHECK_THROWS_WITH_AS(
        sysprep_settings_for_mac("[00-0A-48-00-DD-1A.SysprepInf.UserData]\nno equals sign\n", mac),
        doctest::Contains("line 2: \"no equals sign\" is not KEY=VALUE"), ImagerError);
    CHECK_THROWS_WITH_AS(sysprep_settings_for_mac("\n\n[00-0A-48-00-DD-1A.UserData]\n", mac),
                         doctest::Contains("line 3: section \"00-0A-48-00-DD-1A.UserData\" is "
                                           "not of the form MAC.SysprepInf.SECTION"),
                         ImagerError);
    CHECK_THROWS_WITH_AS(sysprep_settings_for_mac("ComputerName=X\n", mac),
                         doctest::Contains("line 1: KEY=VALUE before the first"), ImagerError);
    CHECK_THROWS_WITH_AS(sysprep_settings_for_mac("[00-0A-48-00-DD-1A.SysprepInf.UserData\n", mac),
                         doctest::Contains("line 1: section header"), ImagerError);
    CHECK_THROWS_WITH_AS(sysprep_settings_for_mac("[zz-0A-48-00-DD-1A.SysprepInf.UserData]\n", mac),
                         doctest::Contains("line 1:"), ImagerError);
}
