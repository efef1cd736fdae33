@echo off
rem Dropped by castline's post-config; ${name} and ${mac} are filled in per machine.
echo Imaged by castline as ${name} (${mac}) >> %WINDIR%\Setup\castline.log
