console.log("gazetteer build: stub");
