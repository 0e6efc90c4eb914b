PREFIX ex: <http://example.org/>
INSERT DATA { GRAPH ex:g { ex:s ex:p "o"@en , 1.5e3 , true } } ;
DELETE { ?s ?p ?o } INSERT { ?s ?p "x" } WHERE { ?s ?p ?o FILTER(isLiteral(?o)) }
