#!/usr/bin/env bash
# bench/render.sh: bench/results/raw/ -> bench/results/results.md (table) and
# results.png (minivm's measured ratio beside each target limit, log scale).
set -euo pipefail
cd "$(dirname "$0")/results"
python3 ../report.py raw .
gnuplot <<'GP'
set terminal pngcairo size 1100,560 font "sans,10"
set output "results.png"
set datafile separator "\t"
set datafile missing "?"
set title "minivm vs issue 6 targets (ratio minivm/contender; RSS in MiB). Lower is better; a bar above its target is not met; no bar: failed to run"
set style data histograms
set style histogram clustered gap 1.5
set style fill solid 0.85 border -1
set logscale y
set yrange [0.05:*]
set grid ytics
set key top left
set bmargin 6
set rmargin 6
set xtics rotate by -25 noenhanced
set ylabel "minivm / contender"
plot "results.dat" using 2:xtic(1) title "minivm measured" lc rgb "#3b6ea8", \
     "" using 3 title "target limit" lc rgb "#b0b0b0", \
     "" using ($0 - 0.17):2:(sprintf("%.2f", $2)) with labels offset 0,0.7 notitle
GP
echo "render.sh: wrote bench/results/results.md and results.png" >&2
