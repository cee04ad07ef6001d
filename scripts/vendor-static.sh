#!/usr/bin/env bash
# Copies the pinned front-end packages from the npm registry into static/vendor/, where the
# portal serves them itself (county intranets often have no internet). The copies are committed,
# so `make run` needs no npm; run this only to change a version in package.json.
set -euo pipefail
cd "$(dirname "$0")/.."
npm install --no-audit --no-fund --ignore-scripts
rm -rf static/vendor && mkdir -p static/vendor/bootstrap
cp node_modules/bootstrap/dist/css/bootstrap.min.css static/vendor/bootstrap/
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js static/vendor/bootstrap/
cp node_modules/bootstrap/LICENSE static/vendor/bootstrap/LICENSE
mkdir -p static/vendor/echarts
cp node_modules/echarts/dist/echarts.min.js static/vendor/echarts/
cp node_modules/echarts/LICENSE static/vendor/echarts/LICENSE
# The participant picker (searchable, grouped, by thumb on a phone).
mkdir -p static/vendor/tom-select
cp node_modules/tom-select/dist/js/tom-select.complete.min.js static/vendor/tom-select/
cp node_modules/tom-select/dist/css/tom-select.bootstrap5.min.css static/vendor/tom-select/
cp node_modules/tom-select/LICENSE static/vendor/tom-select/LICENSE
# Source maps are not shipped; drop the comments that point at them.
sed -i '/sourceMappingURL/d' static/vendor/bootstrap/*.min.* static/vendor/echarts/*.min.js static/vendor/tom-select/*.min.*
node -e 'const l=require("./package-lock.json");const o={};for(const [k,v] of Object.entries(l.packages)){if(k)o[k.replace("node_modules/","")]={version:v.version,integrity:v.integrity}};console.log(JSON.stringify(o,null,2))' > static/vendor/SOURCES.json
echo "vendored into static/vendor/"
