#!/usr/bin/env sh
# Prints the libFuzzer -dict= argument for a fuzz target (nothing if its protocol has
# no dictionary): fuzz/dict.sh TARGET. Used by fuzz/campaign.sh and .ci/run.
d=$(cd "$(dirname "$0")" && pwd)/dicts
case "$1" in
  modbus_*) p=modbus ;;
  dnp3_*) p=dnp3 ;;
  dlms_*) p=dlms ;;
  c1218_*|c1222_*|c12_*) p=c12 ;;
  scm_idm_*) p=scm_idm ;;
  p1_*|iec21_*) p=p1 ;;
  *) exit 0 ;;
esac
[ -f "$d/$p.dict" ] && echo "-dict=$d/$p.dict"
exit 0
