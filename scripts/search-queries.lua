-- wrk script: every request a different query of this list, in turn, so that no request follows
-- one with the same text. A server that keeps answers ([server] search_cache_mb) answers the
-- list from them after its first round: that measures searches asked again, as a popular
-- campaign's are. With search_cache_mb = 0 every request searches: that measures new searches.
-- scripts/bench-scale.sh measures both.
-- Usage: wrk -t1 -c1 -d10s --latency -s scripts/search-queries.lua http://127.0.0.1:PORT
local queries = {
  "q=pomoc+spoleczna", "q=%22osoby+niepe%C5%82nosprawne%22&type=publication",
  "q=wolontariuszy&type=publication&year_from=2000", "q=asystent+rodziny",
  "q=ekonomii+spo%C5%82ecznej", "q=sp%C3%B3%C5%82dzielnia+socjalna", "q=fundusz+europejski",
  "q=integracji", "q=wykluczeniu+spo%C5%82ecznemu", "q=mazowszu", "q=kooperacji",
  "q=niepe%C5%82nospr*", "q=title:raport", "q=pomoc+OR+wolontariusz",
  "q=%22ekonomii+spo%C5%82ecznej%22", "q=osrodek+pomocy", "q=diagnozuje",
  "q=%C5%BAr%C3%B3d%C5%82a+finansowania", "q=klub+integracji+spo%C5%82ecznej",
  "q=m%C5%82odzie%C5%BC&sort=newest", "q=opieku%C5%84cze", "q=centrum+aktywnej+integracji",
  "q=dziedziczeniu+biedy", "q=stowarzyszenie", "q=gmina+aktywizuje",
  "q=d%C5%82ugotrwale+bezrobotne",
}
local next_query = 0
request = function()
  next_query = next_query % #queries + 1
  return wrk.format("GET", "/api/search?" .. queries[next_query])
end
