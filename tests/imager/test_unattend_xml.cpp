#include <doctest/doctest.h>

#include "imager/errors.hpp"
#include "imager/unattend_xml.hpp"

using namespace castline::imager;

namespace {
// Shaped like a file Windows System Image Manager writes: namespaces on the root and on each
// component, several passes, comments, a list with wcm:action.
const std::string answer_file = R"(<?xml version="1.0" encoding="utf-8"?>
<!-- lab answer file -->
<unattend xmlns="urn:schemas-microsoft-com:unattend" xmlns:wcm="http://schemas.microsoft.com/WMIConfig/2002/State">
    <settings pass="windowsPE">
        <component name="Microsoft-Windows-International-Core-WinPE" processorArchitecture="amd64" publicKeyToken="31bf3856ad364e35" language="neutral" versionScope="nonSxS">
            <UILanguage>en-US</UILanguage>
        </component>
    </settings>
    <settings pass="specialize">
        <component name="Microsoft-Windows-Shell-Setup" processorArchitecture="amd64" publicKeyToken="31bf3856ad364e35" language="neutral" versionScope="nonSxS" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
            <ComputerName>OLDNAME</ComputerName>
            <TimeZone>UTC</TimeZone>
        </component>
    </settings>
    <settings pass="oobeSystem">
        <component name="Microsoft-Windows-Shell-Setup" processorArchitecture="amd64" publicKeyToken="31bf3856ad364e35" language="neutral" versionScope="nonSxS">
            <UserAccounts>
                <LocalAccounts>
                    <LocalAccount wcm:action="add">
                        <Name>lab</Name>
                    </LocalAccount>
                </LocalAccounts>
            </UserAccounts>
        </component>
    </settings>
</unattend>
)";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}
}  // namespace

TEST_CASE("an existing ComputerName is replaced; every other byte stays") {
    const auto out = set_unattend_values(
        answer_file, {{"specialize/Microsoft-Windows-Shell-Setup/ComputerName", "WS01"}});
    CHECK(out == replaced(answer_file, ">OLDNAME<", ">WS01<"));
}

TEST_CASE("a missing nested setting is created inside the existing elements, indented") {
    const auto out = set_unattend_values(
        answer_file,
        {{"oobeSystem/Microsoft-Windows-Shell-Setup/UserAccounts/AdministratorPassword/Value",
          "s3cret&<"}});
    CHECK(out == replaced(answer_file, "            </UserAccounts>",
                          "                <AdministratorPassword>\n"
                          "                    <Value>s3cret&amp;&lt;</Value>\n"
                          "                </AdministratorPassword>\n"
                          "            </UserAccounts>"));
}

TEST_CASE("a missing component and a missing pass are created as Windows writes them") {
    const auto out = set_unattend_values(
        answer_file,
        {{"specialize/Microsoft-Windows-UnattendedJoin/Identification/JoinWorkgroup", "LAB"},
         {"generalize/Microsoft-Windows-Security-SPP/SkipRearm", "1"}});
    std::string expected = replaced(
        answer_file, "        </component>\n    </settings>\n    <settings pass=\"oobeSystem\">",
        "        </component>\n"
        "        <component name=\"Microsoft-Windows-UnattendedJoin\" "
        "processorArchitecture=\"amd64\" publicKeyToken=\"31bf3856ad364e35\" "
        "language=\"neutral\" versionScope=\"nonSxS\" "
        "xmlns:wcm=\"http://schemas.microsoft.com/WMIConfig/2002/State\" "
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n"
        "            <Identification>\n"
        "                <JoinWorkgroup>LAB</JoinWorkgroup>\n"
        "            </Identification>\n"
        "        </component>\n    </settings>\n    <settings pass=\"oobeSystem\">");
    expected = replaced(expected, "    </settings>\n</unattend>",
                        "    </settings>\n"
                        "    <settings pass=\"generalize\">\n"
                        "        <component name=\"Microsoft-Windows-Security-SPP\" "
                        "processorArchitecture=\"amd64\" publicKeyToken=\"31bf3856ad364e35\" "
                        "language=\"neutral\" versionScope=\"nonSxS\" "
                        "xmlns:wcm=\"http://schemas.microsoft.com/WMIConfig/2002/State\" "
                        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n"
                        "            <SkipRearm>1</SkipRearm>\n"
                        "        </component>\n"
                        "    </settings>\n</unattend>");
    CHECK(out == expected);
}

TEST_CASE("CRLF line ends and a UTF-8 BOM are kept") {
    const std::string crlf =
        "\xEF\xBB\xBF<?xml version=\"1.0\"?>\r\n<unattend "
        "xmlns=\"urn:schemas-microsoft-com:unattend\">\r\n  <settings pass=\"specialize\">\r\n"
        "    <component name=\"C\">\r\n      <ComputerName>A</ComputerName>\r\n"
        "    </component>\r\n  </settings>\r\n</unattend>\r\n";
    CHECK(set_unattend_values(crlf, {{"specialize/C/ComputerName", "B"}}) ==
          replaced(crlf, ">A<", ">B<"));
}

TEST_CASE("x86 and amd64 twins of a component both get the setting") {
    const std::string twins =
        "<unattend xmlns=\"urn:schemas-microsoft-com:unattend\"><settings pass=\"specialize\">"
        "<component name=\"C\" processorArchitecture=\"x86\"/>"
        "<component name=\"C\" processorArchitecture=\"amd64\"><ComputerName>A</ComputerName>"
        "</component></settings></unattend>";
    CHECK(set_unattend_values(twins, {{"specialize/C/ComputerName", "B"}}) ==
          "<unattend xmlns=\"urn:schemas-microsoft-com:unattend\"><settings pass=\"specialize\">"
          "<component name=\"C\" processorArchitecture=\"x86\"><ComputerName>B</ComputerName>"
          "</component>"
          "<component name=\"C\" processorArchitecture=\"amd64\"><ComputerName>B</ComputerName>"
          "</component></settings></unattend>");
}

TEST_CASE("malformed XML, a foreign root, an unknown pass, a setting holding elements") {
    CHECK_THROWS_WITH_AS(set_unattend_values("<unattend>\n<settings>\n</unattend>",
                                             {{"specialize/C/ComputerName", "B"}}),
                         doctest::Contains("not well-formed XML at offset"), ImagerError);
    CHECK_THROWS_WITH_AS(set_unattend_values("<unattend>\n<settings>\n</unattend>",
                                             {{"specialize/C/ComputerName", "B"}}),
                         doctest::Contains("(line 3)"), ImagerError);
    CHECK_THROWS_WITH_AS(set_unattend_values("<unattend xmlns=\"urn:other\"/>",
                                             {{"specialize/C/ComputerName", "B"}}),
                         doctest::Contains("the root element is <unattend> in namespace "
                                           "\"urn:other\""),
                         ImagerError);
    CHECK_THROWS_WITH_AS(set_unattend_values("<config/>", {{"specialize/C/ComputerName", "B"}}),
                         doctest::Contains("the root element is <config>"), ImagerError);
    CHECK_THROWS_WITH_AS(set_unattend_values(answer_file, {{"specialise/C/ComputerName", "B"}}),
                         doctest::Contains("\"specialise\" is not an unattend pass"), ImagerError);
    CHECK_THROWS_WITH_AS(set_unattend_values(answer_file, {{"specialize/ComputerName", "B"}}),
                         doctest::Contains("is not pass/component/setting"), ImagerError);
    CHECK_THROWS_WITH_AS(
        set_unattend_values(answer_file,
                            {{"oobeSystem/Microsoft-Windows-Shell-Setup/UserAccounts", "x"}}),
        doctest::Contains("holds <LocalAccounts> elements, not a value"), ImagerError);
}
