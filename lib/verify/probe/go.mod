module slimstage.local/prober

go 1.21
