#!/bin/sh
# How data/roster.csv and data/batches.csv got the public lists: each list through the product's import path
# (python -m loaders.importer = intake → to_roster → roster store save, as the import page does).
# Re-running it is harmless: rows already on the roster keep their zone ids and are replaced, not doubled.
# Facts typed here (batch labels, official sizes, dates the file writes only as prose) come from each file's own
# columns and ../shared/data/rosters/README.md (copied here as README.md); nothing else is added.
set -e
cd "$(dirname "$0")/../../.."
PY=${PY:-.venv/bin/python}
D=data/sources/public-lists
SAVE=${SAVE:---save}

$PY -m loaders.importer $D/national-batch1.csv $SAVE --programme national --authority 民政部 \
  --batch 第一批 --label "全国第一批（2011—2012年两轮批复，文号未见）" --official-size 12 \
  --size-source "中国网 2015-10-09：第一批12个实验区通过结项验收" --approved-on 2011/2012

$PY -m loaders.importer $D/national-batch2-fragments.csv $SAVE --rows 1,5,6 --programme national --authority 民政部 \
  --batch 第二批 --label "全国第二批（2014年1月，北京市东城区等31个单位）" --official-size 31 \
  --size-source "批复标题“北京市东城区等31个单位”" --approved-on 2014-01 --skip-column period_years

# Named as national zones in 2017-03 without a batch: known only to be designated by then.
$PY -m loaders.importer $D/national-batch2-fragments.csv $SAVE --rows 2,3,4 --programme national --authority 民政部 \
  --batch 批次不详 --label "全国实验区（来源未载明批次）" --approved-on /2017-03 --batch-approved-on ""

# The file's batch cell says "2 or 3": approved between batch 2 (2014-01) and batch 3 (2015).
$PY -m loaders.importer $D/national-batch2-fragments.csv $SAVE --rows 7 --programme national --authority 民政部 \
  --batch 批次不详 --label "全国实验区（来源未载明批次）" --approved-on 2014-01/2015 --batch-approved-on ""

$PY -m loaders.importer $D/national-batch3-partial.csv $SAVE --programme national --authority 民政部 \
  --batch 第三批 --label "全国第三批（2015年，北京市西城区等40个单位）" --official-size 40 \
  --size-source "批复标题“北京市西城区等40个单位”" --approved-on 2015

$PY -m loaders.importer $D/provincial-gansu-2020.csv $SAVE --programme provincial_gs --authority 甘肃省民政厅 \
  --batch 甘肃首批 --label "甘肃省首批（甘民复〔2020〕17号）" --official-size 16 --size-source "批复附件共16个单位" \
  --doc-number 甘民复〔2020〕17号 --approved-on 2020-04-03

$PY -m loaders.importer $D/provincial-hubei-2019.csv $SAVE --programme provincial_hb --authority 湖北省民政厅 \
  --batch 湖北第二批 --label "湖北省第二批（2019年，文号未见）" --official-size 10 --size-source "湖北广电报道列出10个" \
  --approved-on 2019

# Only the 4 Ningbo units accepted in 2021 are known; the batch's size and approval date are not.
$PY -m loaders.importer $D/provincial-zhejiang-2-partial.csv $SAVE --programme provincial_zj --authority 浙江省民政厅 \
  --batch 浙江第二批 --label "浙江省第二批（仅知宁波4个单位）" --approved-on /2021-06
