# Independent reference values for src/core/getis-ord.ts, local-moran.ts and fdr.ts.
#
# Reads test/fixtures/gistar/input.json (written by export-gistar-fixture.ts) and writes
# test/fixtures/gistar/expected.json with:
#   - Gi*: spdep::localG on nb2listw(include.self(nb), style = "B")  (DESIGN.md definition)
#   - Local Moran's I: spdep::localmoran on nb2listw(nb, style = "W") (defaults: mlvar = TRUE,
#     conditional = TRUE, two-sided)
#   - Benjamini-Hochberg: stats::p.adjust(p, method = "BH")
# Needs R with spdep and jsonlite (Debian: apt-get install r-base-core r-cran-spdep).
# Run from the repository root:  Rscript test/reference/gistar.R
suppressPackageStartupMessages({
  library(spdep)
  library(jsonlite)
})

input <- fromJSON("test/fixtures/gistar/input.json", simplifyVector = FALSE)
n <- length(input$cells)

as_nb <- function(lists) {
  nb <- lapply(lists, function(l) {
    v <- as.integer(unlist(l)) + 1L
    if (length(v) == 0) 0L else sort(v)
  })
  class(nb) <- "nb"
  attr(nb, "region.id") <- as.character(seq_len(n))
  attr(nb, "type") <- "h3"
  attr(nb, "sym") <- TRUE
  nb
}

out <- list(
  generator = paste("test/reference/gistar.R with", R.version.string, "and spdep", as.character(packageVersion("spdep"))),
  gistar = list(),
  localmoran = list()
)
for (rings in names(input$neighbours)) {
  nb <- as_nb(input$neighbours[[rings]])
  lw_star <- nb2listw(include.self(nb), style = "B")
  lw_row <- nb2listw(nb, style = "W")
  out$gistar[[rings]] <- list()
  out$localmoran[[rings]] <- list()
  for (col in names(input$values)) {
    x <- as.numeric(unlist(input$values[[col]]))
    g <- localG(x, lw_star)
    out$gistar[[rings]][[col]] <- as.numeric(g)
    lm <- localmoran(x, lw_row)
    out$localmoran[[rings]][[col]] <- list(
      Ii = as.numeric(lm[, "Ii"]),
      E = as.numeric(lm[, "E.Ii"]),
      Var = as.numeric(lm[, "Var.Ii"]),
      Z = as.numeric(lm[, "Z.Ii"]),
      p = as.numeric(lm[, 5]),
      quadrant_pysal = as.character(attr(lm, "quadr")$pysal)
    )
  }
}
p <- sapply(input$pvalues, function(v) if (is.null(v)) NA_real_ else as.numeric(v))
out$bh <- list(p = p, adjusted = p.adjust(p, method = "BH"))

writeLines(toJSON(out, digits = I(17), auto_unbox = TRUE, na = "null", pretty = TRUE),
           "test/fixtures/gistar/expected.json")
cat("wrote test/fixtures/gistar/expected.json for", n, "cells\n")
