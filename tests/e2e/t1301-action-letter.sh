#!/bin/sh
# tocsin action: a letter's signers as numbered organisations, each
# once, and action ls counting every action's signatures.
. "$(dirname "$0")/lib.sh"

run 0 tocsin init
run 0 tocsin list create news --from news@example.org \
    --address "1 Main St, Springfield"
run 0 tocsin action create pipeline --title "Stop the pipeline"
run 0 tocsin action create open-letter --title "Open letter on clean water" --kind letter
run 0 tocsin action sign pipeline gabrielle@example.org --name "Gabrielle Durand"
run 0 tocsin action sign pipeline ana@example.org --name "Ana"
nine=$(date -u -d '9 days ago' '+%Y-%m-%d %H:%M:%S')
three=$(date -u -d '3 hours ago' '+%Y-%m-%d %H:%M:%S')
five=$(date -u -d '5 minutes ago' '+%Y-%m-%d %H:%M:%S')

# A letter lists its organisations, each once, in the order they signed.
cat >orgs.csv <<X
email,name,org,signed_at
a@rivers.example,Ann,Friends of the River,$nine
b@rivers.example,Bo,friends of the river,$three
c@water.example,Cy,Clean Water Action,$five
d@example.org,Di,,$five
X
run 0 tocsin action import open-letter orgs.csv
run 0 tocsin action sign open-letter e@parks.example --name Eve --org "Parks Alliance"
run 0 tocsin action signers open-letter
same - out "a letter's organisations as a numbered list" <<'X'
1. Friends of the River
2. Clean Water Action
3. Parks Alliance
3 organisations signed, 5 signatures in all
X
run 0 tocsin action signers open-letter --recent 2
same - out "--recent keeps the numbers" <<'X'
2. Clean Water Action
3. Parks Alliance
3 organisations signed, 5 signatures in all
X
run 0 tocsin action ls --format tsv
cut -f1-4 out >got
same - got "action ls counts signatures" <<'X'
slug	kind	signatures	title
pipeline	petition	2	Stop the pipeline
open-letter	letter	5	Open letter on clean water
X
done_testing
