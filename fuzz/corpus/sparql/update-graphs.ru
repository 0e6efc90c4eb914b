LOAD <http://example.org/data.ttl> INTO GRAPH <http://example.org/g> ;
CLEAR SILENT GRAPH <http://example.org/g> ; DROP ALL ; CREATE GRAPH <urn:x> ;
COPY DEFAULT TO <urn:y> ; MOVE <urn:y> TO <urn:z> ; ADD <urn:z> TO DEFAULT
